using System.Management.Automation;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>New-, Get-, Test-, Repair- and Remove-AgentWorkloadIdentity as a user runs them, against the emulator.</summary>
public sealed class LifecycleCmdletTests : ConnectedShellTests
{
    private const string Target = "-ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName my-agent";

    public LifecycleCmdletTests(EmulatorFixture emulator)
        : base(emulator)
    {
    }

    private IReadOnlyList<AgentWorkloadIdentityCheck> Audit(string target = Target)
    {
        ScriptResult result = shell.Run("Test-AgentWorkloadIdentity " + target);
        result.AssertNoErrors();
        return result.Output.Cast<AgentWorkloadIdentityCheck>().ToList();
    }

    [Fact]
    public void OneShot_fresh_is_five_requests_and_a_rerun_reads_four_times_and_writes_nothing()
    {
        ScriptResult first = shell.Run("New-AgentWorkloadIdentity " + Target);

        first.AssertNoErrors();
        AgentConfiguration configuration = first.Single<AgentConfiguration>();
        IdentityState identity = Assert.Single(emulator.Server.Snapshot().Identities);
        Assert.Equal(identity.ClientId, configuration.ClientId);
        Assert.Equal(EmulatorDefaults.TenantId, configuration.TenantId);
        Assert.Equal(("Created", "Created", "Created"), (configuration.IdentityAction, configuration.RoleAssignmentAction, configuration.FederatedCredentialAction));
        Assert.Equal("system:serviceaccount:resiliency-system:my-agent", Assert.Single(identity.FederatedIdentityCredentials).Subject);
        Assert.Equal(("aks-ready", "rg-astronetes", "astronetes-azure-agent"), (configuration.ClusterName, configuration.ResourceGroupName, configuration.IdentityName));
        Assert.Equal(new[] { "GET", "GET", "PUT", "PUT", "PUT" }, emulator.ArmRequests().Select(r => r.Method).OrderBy(m => m));
        Assert.Single(emulator.Server.Requests, r => r.Path.EndsWith("/token", StringComparison.Ordinal));

        int before = emulator.ArmRequests().Count;
        ScriptResult second = shell.Run("New-AgentWorkloadIdentity " + Target);

        second.AssertNoErrors();
        AgentConfiguration again = second.Single<AgentConfiguration>();
        Assert.Equal(("Existing", "Existing", "Existing"), (again.IdentityAction, again.RoleAssignmentAction, again.FederatedCredentialAction));
        Assert.Equal(configuration.ClientId, again.ClientId);
        var rerun = emulator.ArmRequests().Skip(before).ToList();
        Assert.Equal(4, rerun.Count);
        Assert.All(rerun, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public void OneShot_whatif_previews_every_write_and_writes_nothing()
    {
        ScriptResult result = shell.Run("New-AgentWorkloadIdentity " + Target + " -WhatIf");

        result.AssertNoErrors();
        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Equal(("Skipped", "Skipped", "Skipped"), (configuration.IdentityAction, configuration.RoleAssignmentAction, configuration.FederatedCredentialAction));
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public void OneShot_on_a_cluster_without_workload_identity_points_at_Enable_AksWorkloadIdentity_and_writes_nothing()
    {
        ScriptResult result = shell.Run("New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-no-wi -AgentName my-agent");

        ErrorRecord error = Assert.Single(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("ClusterNotReady", StringComparison.Ordinal));
        Assert.Contains("Enable-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-no-wi", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("az ", error.ErrorDetails.RecommendedAction);
        Assert.Empty(result.Output);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public void Twenty_agents_from_a_csv_come_out_in_input_order_on_two_identities()
    {
        var rows = Enumerable.Range(1, 20).Select(i => $"rg-astronetes,aks-ready,agent-{i:00},{(i % 2 == 0 ? "identity-even" : "identity-odd")}");
        shell.Set("csv", "ResourceGroupName,ClusterName,AgentName,IdentityName\n" + string.Join("\n", rows));

        ScriptResult result = shell.Run("$csv | ConvertFrom-Csv | New-AgentWorkloadIdentity -ThrottleLimit 2");

        result.AssertNoErrors();
        var output = result.Output.Cast<AgentConfiguration>().ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"agent-{i:00}"), output.Select(c => c.ServiceAccountName));
        EmulatorState state = emulator.Server.Snapshot();
        Assert.Equal(2, state.Identities.Count);
        Assert.All(state.Identities, i => Assert.Equal(10, i.FederatedIdentityCredentials.Count));
        Assert.All(output, c => Assert.Equal(state.Identities.Single(i => i.Name == c.IdentityName).ClientId, c.ClientId));
        Assert.Equal(2, state.RoleAssignments.Count(a => state.Identities.Any(i => i.PrincipalId == a.PrincipalId)));
    }

    [Fact]
    public void Test_passes_every_check_of_a_fresh_setup()
    {
        shell.Run("New-AgentWorkloadIdentity " + Target).AssertNoErrors();

        var checks = Audit();

        Assert.Equal(
            new[] { "ClusterReady", "IdentityExists", "RoleAssignment", "CredentialPresent", "CredentialIssuer", "CredentialSubject", "CredentialAudience", "DiscoveryIssuer", "CredentialCount" },
            checks.Select(c => c.Check));
        Assert.All(checks, c => Assert.Equal(CheckResult.Pass, c.Result));
        Assert.All(checks, c => Assert.Null(c.Fix));
    }

    public static TheoryData<string, string> Drifts => new()
    {
        { "RoleAssignment", "RoleAssignment" },
        { "CredentialDeleted", "CredentialPresent" },
        { "SubjectCase", "CredentialSubject" },
        { "Audience", "CredentialAudience" },
        { "IssuerWithoutSlash", "CredentialIssuer" },
        { "ClusterRecreated", "CredentialIssuer" },
        { "IdentityDeleted", "IdentityExists" },
    };

    [Theory]
    [MemberData(nameof(Drifts))]
    public void Each_check_fails_alone_and_Repair_turns_it_back_to_Pass(string drift, string check)
    {
        shell.Run("New-AgentWorkloadIdentity " + Target).AssertNoErrors();
        emulator.Server.EditState(s =>
        {
            IdentityState identity = s.Identities.Single();
            FederatedCredentialState credential = identity.FederatedIdentityCredentials.Single();
            switch (drift)
            {
                case "RoleAssignment": s.RoleAssignments.RemoveAll(a => a.PrincipalId == identity.PrincipalId); break;
                case "CredentialDeleted": identity.FederatedIdentityCredentials.Clear(); break;
                case "SubjectCase": credential.Subject = credential.Subject.ToUpperInvariant(); break;
                case "Audience": credential.Audiences = new List<string> { "api://other" }; break;
                case "IssuerWithoutSlash": credential.Issuer = credential.Issuer.TrimEnd('/'); break;
                case "ClusterRecreated": s.Clusters.Single(c => c.Name == "aks-ready").OidcIssuerId = Guid.NewGuid().ToString(); break;
                case "IdentityDeleted":
                    s.Identities.Clear();
                    s.RoleAssignments.RemoveAll(a => a.PrincipalId == identity.PrincipalId);
                    break;
            }
        });

        var failing = Audit().Where(c => c.Result != CheckResult.Pass).ToList();

        Assert.Equal(check, failing[0].Check);
        Assert.All(failing, f => Assert.Equal(CheckResult.Fail, f.Result));
        Assert.All(failing, f => Assert.False(string.IsNullOrEmpty(f.Fix)));
        if (drift is "IssuerWithoutSlash" or "ClusterRecreated")
            Assert.Equal(new[] { "CredentialIssuer", "DiscoveryIssuer" }, failing.Select(f => f.Check));
        else if (drift is "IdentityDeleted")
            Assert.Equal(new[] { "IdentityExists", "RoleAssignment", "CredentialPresent" }, failing.Select(f => f.Check));
        else
            Assert.Single(failing);

        ScriptResult repair = shell.Run("Repair-AgentWorkloadIdentity " + Target);

        repair.AssertNoErrors();
        Assert.All(Audit(), c => Assert.Equal(CheckResult.Pass, c.Result));
        Assert.Single(emulator.Server.Snapshot().Identities.Single().FederatedIdentityCredentials);
    }

    [Fact]
    public void A_cluster_turned_off_fails_ClusterReady_and_Repair_points_at_Enable_AksWorkloadIdentity()
    {
        shell.Run("New-AgentWorkloadIdentity " + Target).AssertNoErrors();
        emulator.Server.EditState(s => s.Clusters.Single(c => c.Name == "aks-ready").WorkloadIdentityEnabled = false);

        AgentWorkloadIdentityCheck failing = Assert.Single(Audit(), c => c.Result != CheckResult.Pass);
        Assert.Equal("ClusterReady", failing.Check);
        Assert.StartsWith("Enable-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready", failing.Fix);

        ScriptResult repair = shell.Run("Repair-AgentWorkloadIdentity " + Target);
        Assert.StartsWith("ClusterNotReady,", Assert.Single(repair.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_full_identity_warns_on_CredentialCount()
    {
        shell.Run("New-AgentWorkloadIdentity " + Target).AssertNoErrors();
        emulator.Server.EditState(s =>
        {
            var identity = s.Identities.Single();
            var ours = identity.FederatedIdentityCredentials.Single();
            for (int i = 1; i < 20; i++)
                identity.FederatedIdentityCredentials.Add(new FederatedCredentialState { Name = "other-" + i, Issuer = ours.Issuer, Subject = "system:serviceaccount:x:sa-" + i, Audiences = ours.Audiences.ToList() });
        });

        AgentWorkloadIdentityCheck count = Audit().Single(c => c.Check == "CredentialCount");

        Assert.Equal(CheckResult.Warn, count.Result);
        Assert.Contains("20", count.Detail);
    }

    [Fact]
    public void Repair_asks_before_each_change_and_WhatIf_changes_nothing()
    {
        shell.Run("New-AgentWorkloadIdentity " + Target).AssertNoErrors();
        emulator.Server.EditState(s => s.Identities.Single().FederatedIdentityCredentials.Clear());
        int writes = emulator.WriteCount();

        shell.Run("Repair-AgentWorkloadIdentity " + Target + " -WhatIf").AssertNoErrors();

        Assert.Equal(writes, emulator.WriteCount());
        Assert.Equal(CheckResult.Fail, Audit().Single(c => c.Check == "CredentialPresent").Result);
    }

    [Fact]
    public void Get_finds_every_agent_of_the_cluster_and_pipes_into_Test()
    {
        shell.Run("'agent-a','agent-b' | ForEach-Object { New-AgentWorkloadIdentity " + "rg-astronetes aks-ready $_ }").AssertNoErrors();
        shell.Run("New-AgentWorkloadIdentity rg-astronetes aks-ready agent-c -IdentityName other-identity").AssertNoErrors();

        ScriptResult found = shell.Run("Get-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready");
        found.AssertNoErrors();
        Assert.Equal(new[] { "agent-a", "agent-b", "agent-c" }, found.Output.Cast<AgentConfiguration>().Select(c => c.ServiceAccountName).OrderBy(n => n));

        ScriptResult one = shell.Run("Get-AgentWorkloadIdentity rg-astronetes aks-ready -AgentName 'agent-c'");
        Assert.Equal("other-identity", one.Single<AgentConfiguration>().IdentityName);

        ScriptResult audit = shell.Run("Get-AgentWorkloadIdentity rg-astronetes aks-ready | Test-AgentWorkloadIdentity");
        audit.AssertNoErrors();
        var checks = audit.Output.Cast<AgentWorkloadIdentityCheck>().ToList();
        Assert.Equal(27, checks.Count);
        Assert.All(checks, c => Assert.Equal(CheckResult.Pass, c.Result));
    }

    [Fact]
    public void Remove_leaves_nothing_and_a_second_run_finds_nothing_to_do()
    {
        AgentConfiguration created = shell.Run("New-AgentWorkloadIdentity " + Target).Single<AgentConfiguration>();
        string principal = emulator.Server.Snapshot().Identities.Single().PrincipalId;

        ScriptResult removal = shell.Run("New-AgentWorkloadIdentity " + Target + " | Remove-AgentWorkloadIdentity -Confirm:$false");

        removal.AssertNoErrors();
        AgentWorkloadIdentityRemoval removed = Assert.IsType<AgentWorkloadIdentityRemoval>(Assert.Single(removal.Output));
        Assert.Equal(("Deleted", "Deleted", "Deleted"), (removed.FederatedCredentialAction, removed.RoleAssignmentAction, removed.IdentityAction));
        EmulatorState state = emulator.Server.Snapshot();
        Assert.Empty(state.Identities);
        Assert.DoesNotContain(state.RoleAssignments, a => a.PrincipalId == principal);

        int writes = emulator.WriteCount();
        AgentWorkloadIdentityRemoval again = shell.Run("Remove-AgentWorkloadIdentity " + Target + " -Confirm:$false").Single<AgentWorkloadIdentityRemoval>();
        Assert.Equal(("Absent", "Absent", "Absent"), (again.FederatedCredentialAction, again.RoleAssignmentAction, again.IdentityAction));
        Assert.Equal(writes, emulator.WriteCount());
        Assert.NotNull(created.ClientId);
    }

    [Fact]
    public void Remove_with_KeepIdentity_takes_only_the_credential()
    {
        shell.Run("New-AgentWorkloadIdentity " + Target).AssertNoErrors();

        ScriptResult removal = shell.Run("Remove-AgentWorkloadIdentity " + Target + " -KeepIdentity -Confirm:$false");

        removal.AssertNoErrors();
        Assert.Equal("-KeepIdentity", removal.Single<AgentWorkloadIdentityRemoval>().KeptBecause);
        IdentityState identity = Assert.Single(emulator.Server.Snapshot().Identities);
        Assert.Empty(identity.FederatedIdentityCredentials);
        Assert.Contains(emulator.Server.Snapshot().RoleAssignments, a => a.PrincipalId == identity.PrincipalId);
    }

    [Fact]
    public void Remove_of_one_agent_on_a_shared_identity_keeps_it_and_says_so()
    {
        shell.Run("'agent-a','agent-b' | ForEach-Object { New-AgentWorkloadIdentity rg-astronetes aks-ready $_ }").AssertNoErrors();

        ScriptResult removal = shell.Run("Remove-AgentWorkloadIdentity rg-astronetes aks-ready agent-a -Confirm:$false");

        removal.AssertNoErrors();
        Assert.Contains(removal.Warnings, w => w.Contains("aks-ready-resiliency-system-agent-b", StringComparison.Ordinal));
        IdentityState identity = Assert.Single(emulator.Server.Snapshot().Identities);
        Assert.Equal("system:serviceaccount:resiliency-system:agent-b", Assert.Single(identity.FederatedIdentityCredentials).Subject);

        // The last agent takes the identity with it.
        shell.Run("Remove-AgentWorkloadIdentity rg-astronetes aks-ready agent-b -Confirm:$false").AssertNoErrors();
        Assert.Empty(emulator.Server.Snapshot().Identities);
    }

    [Fact]
    public void Bad_input_is_an_error_before_any_request()
    {
        ScriptResult result = shell.Run("New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName Bad_Name");

        Assert.Single(result.Errors);
        Assert.Empty(emulator.ArmRequests());
    }
}

/// <summary>The chained step cmdlets and the one-shot command are views of one model: their outputs are interchangeable.</summary>
public sealed class StepAndOneShotTests : ConnectedShellTests
{
    public StepAndOneShotTests(EmulatorFixture emulator)
        : base(emulator)
    {
    }

    [Fact]
    public void The_chained_line_pipes_into_Test_AgentWorkloadIdentity_and_the_one_shot_finds_it_all_existing()
    {
        ScriptResult audit = shell.Run(OneLineSetup.Chain + " | Test-AgentWorkloadIdentity");

        audit.AssertNoErrors();
        Assert.Equal(9, audit.Output.Count);
        Assert.All(audit.Output.Cast<AgentWorkloadIdentityCheck>(), c => Assert.Equal(CheckResult.Pass, c.Result));

        int writes = emulator.WriteCount();
        AgentConfiguration again = shell.Run("New-AgentWorkloadIdentity rg-astronetes aks-ready my-agent").Single<AgentConfiguration>();
        Assert.Equal(("Existing", "Existing", "Existing"), (again.IdentityAction, again.RoleAssignmentAction, again.FederatedCredentialAction));
        Assert.Equal(writes, emulator.WriteCount());
    }
}
