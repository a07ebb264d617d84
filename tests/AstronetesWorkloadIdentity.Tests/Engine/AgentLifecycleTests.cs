using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Engine;

/// <summary>The engine model end to end: observe, plan, apply against the emulator, for create, audit/repair and remove.</summary>
public class AgentLifecycleTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private static readonly WriteApproval Yes = (_, _) => true;
    private readonly EmulatorFixture emulator;
    private readonly ArmConnection connection;
    private readonly ArmRestClient client;
    private readonly AgentLifecycle lifecycle;
    private readonly ClusterRef cluster;

    public AgentLifecycleTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
        connection = emulator.CreateDeployerConnection();
        client = connection.CreateClient();
        lifecycle = new AgentLifecycle(client, discovery: connection.CreateDiscoveryClient());
        cluster = new ClusterRef(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady);
    }

    public void Dispose() => connection.Dispose();

    private AgentSpec Spec(params string[] agents) => AgentSpec.ForCluster(cluster, agents.Length == 0 ? new[] { "my-agent" } : agents, "astronetes-azure-agent");

    private async Task<ApplyResult> RunAsync(AgentSpec spec, PlanMode mode, bool keepIdentity = false)
    {
        var plan = await lifecycle.PlanAsync(spec, mode, keepIdentity, default);
        return await lifecycle.ApplyAsync(plan, Yes, null, default);
    }

    private async Task<AgentPlan> AuditAsync(AgentSpec spec) => await lifecycle.PlanAsync(spec, PlanMode.Repair, false, default);

    [Fact]
    public async Task FreshSetupIsTwoReadsAndThreeWritesInThreeRoundsAndARerunOnlyReadsFourTimes()
    {
        var lean = new AgentLifecycle(client); // no discovery documents: as New- runs
        var spec = Spec();
        var result = await lean.ApplyAsync(await lean.PlanAsync(spec, PlanMode.Create, false, default), Yes, null, default);

        Assert.Empty(result.Failures);
        Assert.Equal(SetupAction.Created, result.OutcomeOf(PlanItemKind.Identity).Action);
        Assert.Equal(SetupAction.Created, result.OutcomeOf(PlanItemKind.RoleAssignment).Action);
        Assert.Equal(SetupAction.Created, result.OutcomeOf(PlanItemKind.FederatedCredential).Action);
        var fresh = emulator.ArmRequests();
        Assert.Equal(new[] { "GET", "GET", "PUT", "PUT", "PUT" }, fresh.Select(r => r.Method).OrderBy(m => m));
        // The identity PUT is the only write before the other two: they both need its principal and ID.
        Assert.Contains("userAssignedIdentities", fresh.First(r => r.Method == "PUT").Path);

        var credential = result.Credentials[spec.Federations[0]]!;
        Assert.Equal("system:serviceaccount:resiliency-system:my-agent", credential.Subject);
        Assert.EndsWith("/", credential.Issuer);

        var rerunPlan = await lean.PlanAsync(spec, PlanMode.Create, false, default);
        Assert.Empty(rerunPlan.Writes);
        Assert.True(rerunPlan.IsClean);
    }

    [Fact]
    public async Task ARerunWritesNothingAndReadsFourTimes()
    {
        var lean = new AgentLifecycle(client);
        var spec = Spec();
        await lean.ApplyAsync(await lean.PlanAsync(spec, PlanMode.Create, false, default), Yes, null, default);
        var before = emulator.ArmRequests().Count;

        var result = await lean.ApplyAsync(await lean.PlanAsync(spec, PlanMode.Create, false, default), Yes, null, default);

        var rerun = emulator.ArmRequests().Skip(before).ToList();
        Assert.All(rerun, r => Assert.Equal("GET", r.Method));
        Assert.Equal(4, rerun.Count);
        Assert.All(result.Outcomes, o => Assert.Equal(SetupAction.Existing, o.Action));
    }

    [Fact]
    public async Task SeveralAgentsShareOneIdentityWithOneCredentialEach()
    {
        var spec = Spec("agent-a", "agent-b", "agent-c");
        var result = await RunAsync(spec, PlanMode.Create);

        Assert.Empty(result.Failures);
        var state = emulator.Server.Snapshot();
        var identity = Assert.Single(state.Identities);
        Assert.Equal(3, identity.FederatedIdentityCredentials.Count);
        Assert.Single(state.RoleAssignments, a => a.PrincipalId == identity.PrincipalId);
    }

    [Fact]
    public async Task CreateOnANotReadyClusterWritesNothing()
    {
        var notReady = new ClusterRef(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterNoWorkloadIdentity);
        var spec = AgentSpec.ForCluster(notReady, new[] { "my-agent" }, "astronetes-azure-agent");

        var plan = await lifecycle.PlanAsync(spec, PlanMode.Create, false, default);
        var result = await lifecycle.ApplyAsync(plan, Yes, null, default);

        Assert.Equal(FindingCode.ClusterWorkloadIdentityDisabled, plan.Items[0].Finding);
        Assert.Equal(SetupAction.Blocked, result.OutcomeOf(PlanItemKind.Identity).Action);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public async Task DeclinedIdentitySkipsEverythingThatDependsOnIt()
    {
        var spec = Spec();
        var plan = await lifecycle.PlanAsync(spec, PlanMode.Create, false, default);
        var asked = new List<string>();
        var result = await lifecycle.ApplyAsync(plan, (id, _) => { asked.Add(id); return false; }, null, default);

        Assert.Single(asked);
        Assert.Equal(SetupAction.Skipped, result.OutcomeOf(PlanItemKind.RoleAssignment).Action);
        Assert.Equal(SetupAction.Skipped, result.OutcomeOf(PlanItemKind.FederatedCredential).Action);
        Assert.Equal(0, emulator.WriteCount());
    }

    public static TheoryData<string> Drifts => new()
    {
        "RoleAssignmentDeleted", "CredentialDeleted", "SubjectCase", "IssuerWithoutSlash", "ClusterRecreated", "Audience",
    };

    [Theory]
    [MemberData(nameof(Drifts))]
    public async Task EachDriftIsFoundAndRepairTurnsItBackToClean(string drift)
    {
        var spec = Spec();
        var setup = await RunAsync(spec, PlanMode.Create);
        var identity = setup.Identity!;
        var f = spec.Federations[0];
        var issuer = setup.Plan.Observation.Clusters[cluster].IssuerUrl!;
        var expected = drift switch
        {
            "RoleAssignmentDeleted" => FindingCode.RoleAssignmentMissing,
            "CredentialDeleted" => FindingCode.CredentialMissing,
            "SubjectCase" => FindingCode.CredentialSubjectMismatch,
            "Audience" => FindingCode.CredentialAudienceMismatch,
            _ => FindingCode.CredentialIssuerMismatch,
        };
        switch (drift)
        {
            case "RoleAssignmentDeleted":
                await client.DeleteRoleAssignmentAsync(spec.Scope, setup.RoleAssignment!.Name, default);
                break;
            case "CredentialDeleted":
                await client.DeleteFederatedCredentialAsync(identity.Id, f.CredentialName, default);
                break;
            case "SubjectCase":
                // Our client refuses to write a subject Kubernetes could never issue; someone else's tool did.
                emulator.Server.EditState(s => s.Identities.Single().FederatedIdentityCredentials.Single().Subject = "system:serviceaccount:resiliency-system:My-Agent");
                break;
            case "Audience":
                await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, f.CredentialName, issuer, f.Subject, "api://SomethingElse", default);
                break;
            case "IssuerWithoutSlash":
                await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, f.CredentialName, issuer.TrimEnd('/'), f.Subject, f.Audience, default);
                break;
            case "ClusterRecreated":
                emulator.Server.EditState(s => s.Clusters.Single(c => c.Name == EmulatorDefaults.ClusterReady).OidcIssuerId = Guid.NewGuid().ToString());
                break;
        }

        var audit = await AuditAsync(spec);
        var findings = audit.Items.SelectMany(i => i.Findings).Where(c => c != FindingCode.Ok).ToList();
        Assert.Equal(new[] { expected }, findings.Distinct().Where(c => c != FindingCode.DiscoveryIssuerMismatch));
        if (drift is "IssuerWithoutSlash" or "ClusterRecreated")
            Assert.Contains(FindingCode.DiscoveryIssuerMismatch, findings); // the credential's issuer is not the document's either

        // New- does not overwrite a differing credential; Repair does.
        var createPlan = await lifecycle.PlanAsync(spec, PlanMode.Create, false, default);
        if (expected is FindingCode.CredentialSubjectMismatch or FindingCode.CredentialAudienceMismatch or FindingCode.CredentialIssuerMismatch)
            Assert.Contains(createPlan.Items, i => i.Kind == PlanItemKind.FederatedCredential && i.Action == PlanAction.Blocked);

        var repair = await lifecycle.ApplyAsync(audit, Yes, null, default);
        Assert.Empty(repair.Failures);
        Assert.True((await AuditAsync(spec)).IsClean);
        Assert.Single(emulator.Server.Snapshot().Identities.Single().FederatedIdentityCredentials);
    }

    [Fact]
    public async Task AMissingIdentityIsFoundAndRepairCreatesTheWholeSetup()
    {
        var spec = Spec();
        var audit = await AuditAsync(spec);
        Assert.Equal(FindingCode.IdentityMissing, audit.Items.Single(i => i.Kind == PlanItemKind.Identity).Finding);

        await lifecycle.ApplyAsync(audit, Yes, null, default);

        Assert.True((await AuditAsync(spec)).IsClean);
    }

    [Fact]
    public async Task AnUnreadableDiscoveryDocumentIsAFindingRepairCannotFix()
    {
        var spec = Spec();
        await RunAsync(spec, PlanMode.Create);
        emulator.Server.AddFaults(new[] { new FaultRule { Path = "/\\.well-known/openid-configuration$", Status = 404, Code = "NotFound" } });

        var audit = await AuditAsync(spec);

        var discovery = audit.Items.Single(i => i.Kind == PlanItemKind.DiscoveryDocument);
        Assert.Equal(FindingCode.DiscoveryDocumentUnavailable, discovery.Finding);
        Assert.Equal(PlanAction.Blocked, discovery.Action);
        Assert.Contains("404", discovery.Detail);
        Assert.Empty(audit.Writes);
    }

    [Fact]
    public async Task TwentyCredentialsWarnAndOneMoreIsBlockedBeforeAnyWrite()
    {
        var spec = Spec();
        var setup = await RunAsync(spec, PlanMode.Create);
        var issuer = setup.Plan.Observation.Clusters[cluster].IssuerUrl!;
        for (var i = 1; i < AgentDefaults.MaxFederatedCredentialsPerIdentity; i++)
            await client.CreateOrUpdateFederatedCredentialAsync(setup.Identity!.Id, "other-" + i, issuer, "system:serviceaccount:other:sa-" + i, AgentDefaults.Audience, default);

        var full = await AuditAsync(spec);
        Assert.Equal(FindingCode.CredentialLimitFull, full.Items.Single(i => i.Kind == PlanItemKind.CredentialCapacity).Finding);

        var writesBefore = emulator.WriteCount();
        var more = await lifecycle.PlanAsync(Spec("my-agent", "one-too-many"), PlanMode.Create, false, default);
        Assert.Equal(FindingCode.CredentialLimitReached, more.Items.Single(i => i.Kind == PlanItemKind.CredentialCapacity).Finding);
        var result = await lifecycle.ApplyAsync(more, Yes, null, default);
        Assert.Equal(SetupAction.Blocked, result.Outcomes.Single(o => o.Item.Kind == PlanItemKind.FederatedCredential && o.Item.Federation?.ServiceAccountName == "one-too-many").Action);
        Assert.Equal(writesBefore, emulator.WriteCount());
    }

    [Fact]
    public async Task RemoveDeletesCredentialThenRoleAssignmentThenIdentityAndLeavesNothing()
    {
        var spec = Spec();
        await RunAsync(spec, PlanMode.Create);
        var before = emulator.Server.Requests.Count;

        var removal = await RunAsync(spec, PlanMode.Remove);

        Assert.All(removal.Outcomes, o => Assert.Equal(SetupAction.Deleted, o.Action));
        var deletes = emulator.Server.Requests.Skip(before).Where(r => r.Method == "DELETE").Select(r => r.Path).ToList();
        Assert.Equal(3, deletes.Count);
        Assert.Contains("federatedIdentityCredentials", deletes[0]);
        Assert.Contains("roleAssignments", deletes[1]);
        Assert.EndsWith("/astronetes-azure-agent", deletes[2]);
        var state = emulator.Server.Snapshot();
        Assert.Empty(state.Identities);
        Assert.DoesNotContain(state.RoleAssignments, a => a.PrincipalId == removal.Plan.Observation.Identity!.PrincipalId);

        // Idempotent: again, nothing to do and nothing written.
        var writes = emulator.WriteCount();
        var again = await RunAsync(spec, PlanMode.Remove);
        Assert.All(again.Outcomes, o => Assert.Equal(SetupAction.Absent, o.Action));
        Assert.Equal(writes, emulator.WriteCount());
    }

    [Fact]
    public async Task RemoveWithKeepIdentityDeletesOnlyTheCredential()
    {
        var spec = Spec();
        await RunAsync(spec, PlanMode.Create);

        var removal = await RunAsync(spec, PlanMode.Remove, keepIdentity: true);

        Assert.Equal(SetupAction.Deleted, removal.OutcomeOf(PlanItemKind.FederatedCredential).Action);
        Assert.Equal(SetupAction.Existing, removal.OutcomeOf(PlanItemKind.RoleAssignment).Action);
        Assert.Equal(SetupAction.Existing, removal.OutcomeOf(PlanItemKind.Identity).Action);
        var identity = Assert.Single(emulator.Server.Snapshot().Identities);
        Assert.Empty(identity.FederatedIdentityCredentials);
    }

    [Fact]
    public async Task RemovingOneAgentOfASharedIdentityKeepsTheIdentityAndSaysWhy()
    {
        await RunAsync(Spec("agent-a", "agent-b"), PlanMode.Create);

        var removal = await RunAsync(Spec("agent-a"), PlanMode.Remove);

        var kept = removal.OutcomeOf(PlanItemKind.Identity);
        Assert.Equal(SetupAction.Existing, kept.Action);
        Assert.Equal(FindingCode.IdentityShared, kept.Item.Finding);
        Assert.Contains("agent-b", kept.Item.Detail);
        var identity = Assert.Single(emulator.Server.Snapshot().Identities);
        Assert.Equal("system:serviceaccount:resiliency-system:agent-b", Assert.Single(identity.FederatedIdentityCredentials).Subject);
    }

    [Fact]
    public async Task FindAgentsReturnsEveryAgentFederatedToTheClusterAndNoOther()
    {
        await RunAsync(Spec("agent-a", "agent-b"), PlanMode.Create);
        await RunAsync(AgentSpec.ForCluster(cluster, new[] { "agent-c" }, "second-identity"), PlanMode.Create);
        // A credential for another issuer on the same identity is not this cluster's agent.
        var other = emulator.Server.Snapshot().Identities.Single(i => i.Name == "second-identity");
        await client.CreateOrUpdateFederatedCredentialAsync(
            $"/subscriptions/{emulator.SubscriptionId}/resourceGroups/{emulator.ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/second-identity",
            "elsewhere", "https://issuer.example.com/abc/", "system:serviceaccount:x:y", AgentDefaults.Audience, default);

        var found = await lifecycle.FindAgentsAsync(cluster, default);

        Assert.Equal(new[] { "agent-a", "agent-b", "agent-c" }, found.Agents.Select(a => a.ServiceAccountName).OrderBy(n => n));
        Assert.Equal(other.ClientId, found.Agents.Single(a => a.ServiceAccountName == "agent-c").Identity.ClientId);
    }

    [Fact]
    public void ASpecRejectsBadInputBeforeAnyCall()
    {
        Assert.Throws<InputValidationException>(() => Spec("Not_A_Service_Account"));
        Assert.Throws<InputValidationException>(() => AgentSpec.ForCluster(cluster, new[] { "a" }, "bad/name"));
        Assert.Throws<InputValidationException>(() => Spec("a", "a"));
        Assert.Empty(emulator.Server.Requests);
    }
}
