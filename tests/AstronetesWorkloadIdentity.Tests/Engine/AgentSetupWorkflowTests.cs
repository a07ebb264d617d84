using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Engine;

public class AgentSetupWorkflowTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string Subject = "system:serviceaccount:resiliency-system:astronetes-agent";
    private static readonly WriteApproval Yes = (_, _) => true;
    private static readonly WriteApproval No = (_, _) => false;
    private readonly EmulatorFixture emulator;
    private readonly ArmConnection connection;
    private readonly ArmRestClient client;
    private readonly AgentSetupWorkflow workflow;

    public AgentSetupWorkflowTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
        connection = emulator.CreateDeployerConnection();
        client = connection.CreateClient();
        workflow = new AgentSetupWorkflow(client);
    }

    public void Dispose() => connection.Dispose();

    private string SubscriptionScope => "/subscriptions/" + emulator.SubscriptionId;

    [Fact]
    public async Task ReadyClusterHasNoProblems()
    {
        var readiness = await workflow.CheckClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);

        Assert.True(readiness.IsReady);
        Assert.Empty(readiness.Problems);
        Assert.Empty(readiness.Findings);
        Assert.NotNull(readiness.Cluster.IssuerUrl);
    }

    [Fact]
    public async Task ClusterWithoutOidcNeedsBothFlags()
    {
        var readiness = await workflow.CheckClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterNoOidc, default);

        Assert.False(readiness.IsReady);
        Assert.Equal(2, readiness.Problems.Count);
        Assert.Equal(new[] { FindingCode.ClusterOidcIssuerDisabled, FindingCode.ClusterWorkloadIdentityDisabled }, readiness.Findings);
    }

    [Fact]
    public async Task ClusterWithoutWorkloadIdentityNeedsOnlyThatFlag()
    {
        var readiness = await workflow.CheckClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterNoWorkloadIdentity, default);

        Assert.False(readiness.IsReady);
        Assert.Equal(new[] { "Workload identity is not enabled." }, readiness.Problems);
        Assert.Equal(new[] { FindingCode.ClusterWorkloadIdentityDisabled }, readiness.Findings);
    }

    [Fact]
    public async Task FullSetupCreatesThenARerunFindsEverythingWithoutWriting()
    {
        var cluster = (await workflow.CheckClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default)).Cluster;
        var ficName = AgentSetupWorkflow.DefaultFederatedCredentialName(cluster.Name, "resiliency-system", "astronetes-agent");
        var approvals = new List<(string Id, string Action)>();
        WriteApproval record = (id, action) => { approvals.Add((id, action)); return true; };

        var identity = await workflow.EnsureIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "astronetes-azure-agent", cluster.Location, null, record, default);
        var role = await workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "Reader", identity.Resource!.PrincipalId, record, default);
        var fic = await workflow.EnsureFederatedCredentialAsync(identity.ResourceId, ficName, cluster.IssuerUrl!, Subject, record, default);

        Assert.Equal(SetupAction.Created, identity.Action);
        Assert.Equal(SetupAction.Created, role.Action);
        Assert.Equal(SetupAction.Created, fic.Action);
        Assert.Equal(3, approvals.Count);
        Assert.Equal(AgentSetupWorkflow.RoleAssignmentName(SubscriptionScope, EmulatorDefaults.ReaderRoleId, identity.Resource.PrincipalId), role.Resource!.Name);
        Assert.Equal("ServicePrincipal", role.Resource.PrincipalType);
        Assert.Equal(cluster.IssuerUrl, fic.Resource!.Issuer); // trailing slash kept
        Assert.EndsWith("/", fic.Resource.Issuer);
        Assert.Equal(3, emulator.WriteCount());

        var writesBefore = emulator.WriteCount();
        approvals.Clear();
        var identity2 = await workflow.EnsureIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "astronetes-azure-agent", cluster.Location, null, record, default);
        var role2 = await workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "Reader", identity2.Resource!.PrincipalId, record, default);
        var fic2 = await workflow.EnsureFederatedCredentialAsync(identity2.ResourceId, ficName, cluster.IssuerUrl!, Subject, record, default);

        Assert.Equal(SetupAction.Existing, identity2.Action);
        Assert.Equal(SetupAction.Existing, role2.Action);
        Assert.Equal(SetupAction.Existing, fic2.Action);
        Assert.Equal(writesBefore, emulator.WriteCount());
        Assert.Empty(approvals);
        Assert.Equal(identity.Resource.ClientId, identity2.Resource.ClientId);
    }

    [Fact]
    public async Task DeclinedWritesAreSkippedAndNothingIsWritten()
    {
        var identity = await workflow.EnsureIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "agent-whatif", "westeurope", null, No, default);
        Assert.Equal(SetupAction.Skipped, identity.Action);
        Assert.Null(identity.Resource);
        Assert.Equal($"/subscriptions/{emulator.SubscriptionId}/resourceGroups/{emulator.ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agent-whatif", identity.ResourceId);

        var principal = Guid.NewGuid().ToString();
        var role = await workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "Reader", principal, No, default);
        Assert.Equal(SetupAction.Skipped, role.Action);
        Assert.EndsWith("/roleAssignments/" + AgentSetupWorkflow.RoleAssignmentName(SubscriptionScope, EmulatorDefaults.ReaderRoleId, principal), role.ResourceId);

        var existing = await CreateIdentityAsync("agent-fic-whatif");
        var writes = emulator.WriteCount();
        var fic = await workflow.EnsureFederatedCredentialAsync(existing.Id, "fic-whatif", "https://issuer.example/a/", Subject, No, default);
        Assert.Equal(SetupAction.Skipped, fic.Action);
        Assert.Null(fic.Resource);
        Assert.Equal(writes, emulator.WriteCount());
        Assert.Equal(1, emulator.WriteCount()); // only the identity this test created directly
    }

    [Fact]
    public async Task RoleAssignmentUnderAnotherNameIsAdopted()
    {
        var identity = await CreateIdentityAsync("agent-adopt-role");
        emulator.Server.GrantRole(identity.PrincipalId, "Reader", SubscriptionScope);
        var writes = emulator.WriteCount();

        var role = await workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "reader", identity.PrincipalId, Yes, default);

        Assert.Equal(SetupAction.Adopted, role.Action);
        Assert.NotEqual(AgentSetupWorkflow.RoleAssignmentName(SubscriptionScope, EmulatorDefaults.ReaderRoleId, identity.PrincipalId), role.Resource!.Name);
        Assert.Equal(writes, emulator.WriteCount());
    }

    [Fact]
    public async Task RoleAssignmentOnlyAtAnotherScopeIsNotReused()
    {
        var identity = await CreateIdentityAsync("agent-other-scope");
        var groupScope = SubscriptionScope + "/resourceGroups/" + emulator.ResourceGroup;
        emulator.Server.GrantRole(identity.PrincipalId, "Reader", groupScope);

        var role = await workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "Reader", identity.PrincipalId, Yes, default);

        Assert.Equal(SetupAction.Created, role.Action);
        Assert.True(ArmResourceId.AreEqual(SubscriptionScope, role.Resource!.Scope));
    }

    [Fact]
    public async Task RoleAssignmentCreatedByAnotherWriterDuringTheRunIsAdopted()
    {
        var identity = await CreateIdentityAsync("agent-race");
        // The competing writer assigns the role between our check and our PUT: ARM answers 409 RoleAssignmentExists.
        WriteApproval raceThenApprove = (_, _) => { emulator.Server.GrantRole(identity.PrincipalId, "Reader", SubscriptionScope); return true; };

        var role = await workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "Reader", identity.PrincipalId, raceThenApprove, default);

        Assert.Equal(SetupAction.Adopted, role.Action);
        Assert.Contains(emulator.Server.Requests, r => r.Method == "PUT" && r.ErrorCode == "RoleAssignmentExists");
    }

    [Fact]
    public async Task UnknownRoleIsAPreconditionFailure()
    {
        var ex = await Assert.ThrowsAsync<SetupPreconditionException>(() =>
            workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "No Such Role", Guid.NewGuid().ToString(), Yes, default));

        Assert.Equal("RoleDefinitionNotFound", ex.ErrorCode);
        Assert.Equal(0, emulator.WriteCount());
        Assert.Contains(emulator.ArmRequests(), r => r.Path.EndsWith("/roleDefinitions"));
    }

    [Fact]
    public async Task RoleNameMatchingNoDefinitionExactlyFailsNamingItAndWritesNothing()
    {
        // "Rea" is not a built-in name, so it is looked up; the emulator knows "Reader", which must not be taken for it.
        var ex = await Assert.ThrowsAsync<SetupPreconditionException>(() =>
            workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "Rea", Guid.NewGuid().ToString(), Yes, default));

        Assert.Equal("RoleDefinitionNotFound", ex.ErrorCode);
        Assert.Contains("'Rea'", ex.Message);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public void OnlyADefinitionOfExactlyThatNameIsTaken()
    {
        RoleDefinition Definition(string guid, string roleName) => new("/providers/Microsoft.Authorization/roleDefinitions/" + guid, guid, roleName, "CustomRole");
        var returned = new[] { Definition("11111111-1111-1111-1111-111111111111", "Reader and Data Access"), Definition("22222222-2222-2222-2222-222222222222", "Storage Reader") };

        var ex = Assert.Throws<SetupPreconditionException>(() => AgentSetupWorkflow.ExactRoleDefinition(returned, "Reader X", SubscriptionScope));
        Assert.Equal("RoleDefinitionNotFound", ex.ErrorCode);
        Assert.Contains("'Reader X'", ex.Message);
        Assert.Equal("22222222-2222-2222-2222-222222222222", AgentSetupWorkflow.ExactRoleDefinition(returned, "storage reader", SubscriptionScope).Name);
    }

    [Fact]
    public async Task BuiltInRoleNeedsNoLookup()
    {
        var identity = await CreateIdentityAsync("agent-builtin");
        await workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "Reader", identity.PrincipalId, Yes, default);

        Assert.DoesNotContain(emulator.ArmRequests(), r => r.Path.Contains("roleDefinitions", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task FederatedCredentialUnderAnotherNameIsAdopted()
    {
        var identity = await CreateIdentityAsync("agent-adopt-fic");
        await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "made-by-hand", "https://issuer.example/a/", Subject, AgentDefaults.Audience, default);
        var writes = emulator.WriteCount();

        var fic = await workflow.EnsureFederatedCredentialAsync(identity.Id, "aks-ready-astronetes-agent", "https://issuer.example/a/", Subject, Yes, default);

        Assert.Equal(SetupAction.Adopted, fic.Action);
        Assert.Equal("made-by-hand", fic.Resource!.Name);
        Assert.Equal(writes, emulator.WriteCount());
    }

    [Fact]
    public async Task IssuerWithoutTrailingSlashIsADifferentFederation()
    {
        var identity = await CreateIdentityAsync("agent-slash");
        await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "no-slash", "https://issuer.example/a", Subject, AgentDefaults.Audience, default);

        var fic = await workflow.EnsureFederatedCredentialAsync(identity.Id, "with-slash", "https://issuer.example/a/", Subject, Yes, default);

        Assert.Equal(SetupAction.Created, fic.Action);
        Assert.Equal("https://issuer.example/a/", fic.Resource!.Issuer);
    }

    [Fact]
    public async Task NameTakenByAnotherFederationIsAConflictWithoutWriting()
    {
        var identity = await CreateIdentityAsync("agent-conflict");
        await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "agent-fic", "https://old-issuer.example/x/", Subject, AgentDefaults.Audience, default);
        var writes = emulator.WriteCount();

        var ex = await Assert.ThrowsAsync<SetupPreconditionException>(() =>
            workflow.EnsureFederatedCredentialAsync(identity.Id, "agent-fic", "https://new-issuer.example/y/", Subject, Yes, default));

        Assert.Equal("FederatedCredentialConflict", ex.ErrorCode);
        Assert.Contains("https://old-issuer.example/x/", ex.Message);
        Assert.Contains("https://new-issuer.example/y/", ex.Message);
        Assert.NotNull(ex.RecommendedAction);
        Assert.Equal(writes, emulator.WriteCount());
    }

    [Fact]
    public async Task SameAgentNameInAnotherNamespaceGetsItsOwnDefaultCredential()
    {
        var identity = await CreateIdentityAsync("agent-two-ns");
        var issuer = "https://issuer.example/a/";
        const string systemSubject = "system:serviceaccount:resiliency-system:my-agent";
        const string edgeSubject = "system:serviceaccount:resiliency-edge:my-agent";

        var first = await workflow.EnsureFederatedCredentialAsync(identity.Id,
            AgentSetupWorkflow.DefaultFederatedCredentialName(EmulatorDefaults.ClusterReady, "resiliency-system", "my-agent"), issuer, systemSubject, Yes, default);
        var second = await workflow.EnsureFederatedCredentialAsync(identity.Id,
            AgentSetupWorkflow.DefaultFederatedCredentialName(EmulatorDefaults.ClusterReady, "resiliency-edge", "my-agent"), issuer, edgeSubject, Yes, default);

        Assert.Equal(SetupAction.Created, first.Action);
        Assert.Equal(SetupAction.Created, second.Action);
        Assert.NotEqual(first.Resource!.Name, second.Resource!.Name);
        Assert.Equal(2, (await client.ListFederatedCredentialsAsync(identity.Id, default)).Count);
    }

    [Fact]
    public async Task NameTakenByAnotherSubjectAdvisesPassingNameAndNeverDeleting()
    {
        var identity = await CreateIdentityAsync("agent-other-subject");
        const string other = "system:serviceaccount:resiliency-system:my-agent";
        const string mine = "system:serviceaccount:resiliency-edge:my-agent";
        await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "aks-ready-my-agent", "https://issuer.example/a/", other, AgentDefaults.Audience, default);
        var writes = emulator.WriteCount();

        var ex = await Assert.ThrowsAsync<SetupPreconditionException>(() =>
            workflow.EnsureFederatedCredentialAsync(identity.Id, "aks-ready-my-agent", "https://issuer.example/a/", mine, Yes, default));

        Assert.Equal("FederatedCredentialConflict", ex.ErrorCode);
        Assert.Contains("'" + other + "'", ex.Message);
        Assert.Contains("'" + mine + "'", ex.Message);
        Assert.Contains("Pass -Name to create a separate credential for subject '" + mine + "'", ex.RecommendedAction);
        Assert.DoesNotContain("delete", ex.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("remove", ex.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(writes, emulator.WriteCount());
    }

    [Theory]
    [InlineData("https://issuer.example/a", "https://issuer.example/a/", "lacks the trailing slash of")]
    [InlineData("https://issuer.example/a/", "https://issuer.example/a", "has a trailing slash that is missing from")]
    [InlineData("https://ISSUER.example/a/", "https://issuer.example/a/", "differs only in letter case from")]
    [InlineData("HTTPS://Issuer.example/a", "https://issuer.example/a/", "lacks the trailing slash of, and differs in letter case from,")]
    public async Task IssuerOffOnlyBySlashOrCaseIsReportedAsBrokenAndToBeReplaced(string existingIssuer, string clusterIssuer, string difference)
    {
        var identity = await CreateIdentityAsync("agent-slash-conflict");
        await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "agent-fic", existingIssuer, Subject, AgentDefaults.Audience, default);
        var writes = emulator.WriteCount();

        var ex = await Assert.ThrowsAsync<SetupPreconditionException>(() =>
            workflow.EnsureFederatedCredentialAsync(identity.Id, "agent-fic", clusterIssuer, Subject, Yes, default));

        Assert.Equal("FederatedCredentialConflict", ex.ErrorCode);
        Assert.Contains("from issuer '" + existingIssuer + "', which " + difference + " the issuer the cluster reports, '" + clusterIssuer + "'", ex.Message);
        Assert.Contains("AADSTS70021", ex.Message);
        Assert.Contains("cannot work as it is", ex.Message);
        Assert.StartsWith("Replace it: delete federated credential 'agent-fic' of identity '", ex.RecommendedAction);
        Assert.Contains("/userAssignedIdentities/agent-slash-conflict' and run again", ex.RecommendedAction);
        Assert.DoesNotContain("az ", ex.RecommendedAction);
        Assert.Equal(writes, emulator.WriteCount());
    }

    [Fact]
    public async Task IssuerOfAnotherClusterNamesBothCasesInTheAdvice()
    {
        var identity = await CreateIdentityAsync("agent-other-issuer");
        await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "agent-fic", "https://old-issuer.example/x/", Subject, AgentDefaults.Audience, default);

        var ex = await Assert.ThrowsAsync<SetupPreconditionException>(() =>
            workflow.EnsureFederatedCredentialAsync(identity.Id, "agent-fic", "https://new-issuer.example/y/", Subject, Yes, default));

        Assert.Contains("trusts another issuer, 'https://old-issuer.example/x/', not the issuer this cluster reports, 'https://new-issuer.example/y/'", ex.Message);
        Assert.Contains("If the cluster was re-created and the old issuer 'https://old-issuer.example/x/' is gone, delete federated credential", ex.RecommendedAction);
        Assert.Contains("another live cluster with the same name, pass -Name", ex.RecommendedAction);
        Assert.DoesNotContain("AADSTS70021", ex.Message);
    }

    [Fact]
    public async Task SameFederationWithAnotherAudienceIsAConflict()
    {
        var identity = await CreateIdentityAsync("agent-audience");
        await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "other-aud", "https://issuer.example/a/", Subject, "api://something-else", default);
        var writes = emulator.WriteCount();

        var ex = await Assert.ThrowsAsync<SetupPreconditionException>(() =>
            workflow.EnsureFederatedCredentialAsync(identity.Id, "agent-fic", "https://issuer.example/a/", Subject, Yes, default));

        Assert.Equal("FederatedCredentialConflict", ex.ErrorCode);
        Assert.Equal(writes, emulator.WriteCount());
    }

    [Fact]
    public async Task TwentyCredentialsIsTheLimitReportedBeforeAnyWrite()
    {
        var identity = await CreateIdentityAsync("agent-full");
        for (var i = 0; i < AgentDefaults.MaxFederatedCredentialsPerIdentity; i++)
            await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "fic-" + i, "https://issuer.example/" + i + "/", Subject, AgentDefaults.Audience, default);
        var writes = emulator.WriteCount();
        var asked = false;

        var ex = await Assert.ThrowsAsync<SetupPreconditionException>(() =>
            workflow.EnsureFederatedCredentialAsync(identity.Id, "one-more", "https://issuer.example/new/", Subject, (_, _) => asked = true, default));

        Assert.Equal("FederatedCredentialLimitReached", ex.ErrorCode);
        Assert.False(asked);
        Assert.Equal(writes, emulator.WriteCount());
        Assert.True(ArmResourceId.AreEqual(identity.Id, ex.ResourceId));
    }

    [Fact]
    public async Task MissingIdentityFailsTheCredentialStepWithTheArmError()
    {
        var id = $"/subscriptions/{emulator.SubscriptionId}/resourceGroups/{emulator.ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ghost";

        var ex = await Assert.ThrowsAsync<ArmException>(() => workflow.EnsureFederatedCredentialAsync(id, "agent-fic", "https://issuer.example/a/", Subject, Yes, default));

        Assert.Equal(404, ex.Status);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Theory]
    [InlineData("denmarkeast", "denmarkeast")]   // a real region missing from an older AzureRegions list
    [InlineData("eastus2euap", "eastus2euap")]   // canary
    [InlineData("newregion9", "newregion9")]     // a region newer than any list: ARM is the judge
    [InlineData("West Europe", "westeurope")]    // display name: sent as ARM's name
    public async Task IdentityIsCreatedInAnyWellFormedLocation(string location, string expected)
    {
        var name = "agent-loc-" + expected;

        var identity = await workflow.EnsureIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, name, location, null, Yes, default);

        Assert.Equal(SetupAction.Created, identity.Action);
        Assert.Equal(expected, identity.Resource!.Location);
    }

    [Fact]
    public async Task BadInputIsRejectedBeforeAnyRequest()
    {
        var identityId = $"/subscriptions/{emulator.SubscriptionId}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agent";
        await Assert.ThrowsAsync<InputValidationException>(() => workflow.EnsureIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "agent", "west-europe", null, Yes, default));
        await Assert.ThrowsAsync<InputValidationException>(() => workflow.EnsureRoleAssignmentAsync("/subscriptions/nope", "Reader", Guid.NewGuid().ToString(), Yes, default));
        await Assert.ThrowsAsync<InputValidationException>(() => workflow.EnsureFederatedCredentialAsync(identityId, null, "https://issuer.example/a/", "system:serviceaccount:Bad:agent", Yes, default));
        var ex = await Assert.ThrowsAsync<InputValidationException>(() => workflow.EnsureFederatedCredentialAsync("/subscriptions/x/identity", null, "https://issuer.example/a/", Subject, Yes, default));
        Assert.Equal("IdentityId", ex.ParamName);

        Assert.Empty(emulator.Server.Requests);
    }

    [Fact]
    public async Task IndependentStepsCanRunInParallel()
    {
        var identity = await CreateIdentityAsync("agent-parallel");
        var cluster = client.GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);
        var role = workflow.EnsureRoleAssignmentAsync(SubscriptionScope, "Reader", identity.PrincipalId, Yes, default);
        var fics = Enumerable.Range(0, 3).Select(i =>
            workflow.EnsureFederatedCredentialAsync(identity.Id, "par-" + i, "https://issuer.example/" + i + "/", Subject, Yes, default)).ToList();

        await Task.WhenAll(fics.Cast<Task>().Append(role).Append(cluster));

        Assert.Equal(SetupAction.Created, (await role).Action);
        foreach (var fic in fics)
        {
            Assert.Equal(SetupAction.Created, (await fic).Action);
        }
        Assert.Equal(3, (await client.ListFederatedCredentialsAsync(identity.Id, default)).Count);
    }

    private async Task<UserAssignedIdentity> CreateIdentityAsync(string name)
        => (await client.CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, name, "westeurope", null, default)).Resource;
}
