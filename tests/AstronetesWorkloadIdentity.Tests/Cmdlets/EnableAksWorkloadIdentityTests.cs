using System.Management.Automation;
using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>Enable-AksWorkloadIdentity against the emulator's long-running cluster update.</summary>
public sealed class EnableAksWorkloadIdentityTests : IClassFixture<FastClusterOperationFixture>, IDisposable
{
    private readonly FastClusterOperationFixture emulator;
    private readonly ModuleRunspace shell;

    public EnableAksWorkloadIdentityTests(FastClusterOperationFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
        shell = ModuleRunspace.Open();
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
    }

    public void Dispose() => shell.Dispose();

    private List<RequestLogEntry> ClusterPuts() => emulator.ArmRequests().Where(r => r.Method == "PUT" && r.Path.Contains("/managedClusters/", StringComparison.OrdinalIgnoreCase)).ToList();

    private bool Polled() => emulator.ArmRequests().Any(r => r.Path.Contains("/operations/", StringComparison.Ordinal));

    private ClusterReadiness ReadCluster(string name)
    {
        using var connection = emulator.CreateDeployerConnection();
        return new AgentSteps(connection.CreateClient()).CheckClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, name, default).GetAwaiter().GetResult();
    }

    [Fact]
    public void Enables_the_cluster_with_progress_that_completes_and_outputs_the_fresh_status()
    {
        using PowerShell run = shell.CreateShell("Enable-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-no-oidc -Confirm:$false");

        var output = run.Invoke();

        Assert.Empty(run.Streams.Error);
        var status = Assert.IsType<AksWorkloadIdentityStatus>(Assert.Single(output).BaseObject);
        Assert.True(status.IsReady);
        Assert.True(status.OidcIssuerEnabled && status.WorkloadIdentityEnabled);
        Assert.EndsWith("/", status.IssuerUrl);
        Assert.Equal(status.IssuerUrl, ReadCluster(EmulatorDefaults.ClusterNoOidc).Cluster.IssuerUrl);
        Assert.Contains(run.Streams.Warning, w => w.Message.Contains("cannot be undone", StringComparison.Ordinal));
        var progress = run.Streams.Progress.ToList();
        Assert.Contains(progress, p => p.RecordType == ProgressRecordType.Processing && p.StatusDescription.StartsWith("Updating", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
        Assert.True(Polled());
    }

    [Fact]
    public void Follows_Test_AksWorkloadIdentity_and_leads_into_the_setup()
    {
        ScriptResult result = shell.Run("""
            Test-AksWorkloadIdentity rg-astronetes aks-no-wi -ErrorAction SilentlyContinue |
              Enable-AksWorkloadIdentity -Confirm:$false |
              New-AgentManagedIdentity -Name astronetes-azure-agent
            """);

        result.AssertNoErrors();
        var identity = result.Single<AgentManagedIdentity>();
        Assert.Equal("Created", identity.Action);
        Assert.True(ReadCluster(EmulatorDefaults.ClusterNoWorkloadIdentity).IsReady);
    }

    [Fact]
    public void An_update_that_ends_Failed_is_an_error_with_AKS_code_and_message_and_no_status()
    {
        emulator.Server.FailNextClusterOperation("ReconcileAddonsError", "Reconciling the workload identity webhook failed.");

        ScriptResult result = shell.Run("Enable-AksWorkloadIdentity rg-astronetes aks-no-wi -Confirm:$false");

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Contains("ReconcileAddonsError", error.FullyQualifiedErrorId + error.ErrorDetails.Message);
        Assert.Contains("Reconciling the workload identity webhook failed.", error.ErrorDetails.Message);
        Assert.Contains("ended 'Failed'", error.ErrorDetails.Message);
        Assert.Contains("ended Failed inside the cluster", error.ErrorDetails.RecommendedAction);
        Assert.Contains("run Enable-AksWorkloadIdentity again", error.ErrorDetails.RecommendedAction);
        Assert.EndsWith("/managedClusters/aks-no-wi", error.TargetObject?.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(Polled());
        Assert.Equal("Failed", emulator.Server.Snapshot().Clusters.Single(c => c.Name == "aks-no-wi").ProvisioningState);
    }

    [Fact]
    public void NoWait_returns_once_the_update_is_accepted_without_polling()
    {
        ScriptResult result = shell.Run("Enable-AksWorkloadIdentity rg-astronetes aks-no-oidc -NoWait -Confirm:$false -Verbose");

        result.AssertNoErrors();
        var status = result.Single<AksWorkloadIdentityStatus>();
        Assert.True(status.OidcIssuerEnabled && status.WorkloadIdentityEnabled);
        Assert.Equal("Updating", status.ProvisioningState);
        Assert.Contains(result.Warnings, w => w.Contains("still runs (provisioning state Updating)", StringComparison.Ordinal) && w.Contains("Test-AksWorkloadIdentity", StringComparison.Ordinal));
        Assert.Single(ClusterPuts());
        Assert.False(Polled());
        Assert.Contains(result.Verbose, v => v.Contains("/operations/", StringComparison.Ordinal) && v.Contains("not waited for", StringComparison.Ordinal));
    }

    [Fact]
    public void AsJob_returns_a_job_whose_output_is_the_status_when_the_update_has_finished()
    {
        ScriptResult started = shell.Run("Enable-AksWorkloadIdentity rg-astronetes aks-no-oidc -AsJob -Confirm:$false");
        started.AssertNoErrors();
        var job = Assert.IsAssignableFrom<Job>(Assert.Single(started.Output));
        Assert.Equal("AksWorkloadIdentityJob", job.PSJobTypeName);

        shell.Set("job", job);
        ScriptResult received = shell.Run("""
            $null = Wait-Job -Id $job.Id -Timeout 120
            $progress = @($job.Progress)
            $job.JobStateInfo.State.ToString()
            $progress[-1].RecordType.ToString()
            (Get-Job -Id $job.Id).Name
            Receive-Job -Id $job.Id
            """);

        received.AssertNoErrors();
        Assert.Equal("Completed", received.Output[0]);
        Assert.Equal("Completed", received.Output[1]);
        Assert.Equal("Enable-AksWorkloadIdentity aks-no-oidc", received.Output[2]);
        var status = Assert.IsType<AksWorkloadIdentityStatus>(received.Output[3]);
        Assert.True(status.IsReady);
        Assert.True(ReadCluster(EmulatorDefaults.ClusterNoOidc).IsReady);
    }

    [Fact]
    public void AsJob_failure_is_a_failed_job_with_the_error()
    {
        emulator.Server.AddFaults(new[] { new FaultRule { Method = "PUT", Path = "/managedClusters/aks-no-oidc$", Status = 400, Code = "BadRequest", Message = "Refused for the test." } });

        ScriptResult result = shell.Run("""
            $job = Enable-AksWorkloadIdentity rg-astronetes aks-no-oidc -AsJob -Confirm:$false
            $null = Wait-Job $job -Timeout 120
            $job.JobStateInfo.State.ToString()
            Receive-Job $job -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].FullyQualifiedErrorId
            """);

        Assert.Equal("Failed", result.Output[0]);
        Assert.StartsWith("ClusterBadRequest", (string)result.Output[1]!);
    }

    [Fact]
    public void WhatIf_writes_nothing_and_outputs_the_cluster_as_it_is()
    {
        ScriptResult result = shell.Run("Enable-AksWorkloadIdentity rg-astronetes aks-no-oidc -WhatIf");

        result.AssertNoErrors();
        Assert.False(result.Single<AksWorkloadIdentityStatus>().OidcIssuerEnabled);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public void Asks_before_changing_a_cluster_and_a_no_changes_nothing()
    {
        var host = new ScriptedHost(_ => false);
        using ModuleRunspace asking = ModuleRunspace.Open(host);
        asking.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);

        ScriptResult result = asking.Run("Enable-AksWorkloadIdentity rg-astronetes aks-no-oidc; Enable-AksWorkloadIdentity rg-astronetes aks-ready");

        result.AssertNoErrors();
        // ConfirmImpact High: asked without -Confirm; the ready cluster needs no change and no question.
        string prompt = Assert.Single(host.Prompts);
        Assert.Contains("managedClusters/aks-no-oidc", prompt);
        Assert.Contains("cannot be turned off again", prompt);
        Assert.Equal(0, emulator.WriteCount());
        Assert.Equal(new[] { false, true }, result.Output.Cast<AksWorkloadIdentityStatus>().Select(s => s.IsReady));
    }

    [Fact]
    public void Bad_input_is_refused_before_any_call()
    {
        ScriptResult result = shell.Run("Enable-AksWorkloadIdentity rg-astronetes 'not a cluster!' -Confirm:$false");

        Assert.StartsWith("ClusterNameInvalid", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.DoesNotContain(emulator.ArmRequests(), r => r.Path.Contains("managedClusters", StringComparison.OrdinalIgnoreCase));
    }
}
