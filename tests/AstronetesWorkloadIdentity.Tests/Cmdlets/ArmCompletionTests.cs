using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>-ResourceGroupName and -ClusterName complete from ARM, only for a connected session.</summary>
public sealed class ArmCompletionTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture emulator;

    public ArmCompletionTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Server.Reset();
        // The first completion of a session pays for the token and the JIT; on a loaded CI machine that exceeded the
        // 3 s a user gets. These tests check what completes, so they wait longer; the time-out has its own tests below.
        AstronetesWorkloadIdentity.Completion.ArmNameCompleter.Timeout = TimeSpan.FromSeconds(60);
    }

    public void Dispose() =>
        AstronetesWorkloadIdentity.Completion.ArmNameCompleter.Timeout = AstronetesWorkloadIdentity.Completion.ArmNameCompleter.DefaultTimeout;

    private static string[] Complete(ModuleRunspace shell, string line)
    {
        shell.Set("line", line);
        ScriptResult result = shell.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText");
        result.AssertNoErrors();
        return result.Output.OfType<string>().ToArray();
    }

    [Fact]
    public void Connected_session_completes_resource_groups_and_the_clusters_of_the_typed_group()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);

        Assert.Equal(new[] { "rg-astronetes" }, Complete(shell, "Test-AksWorkloadIdentity -ResourceGroupName rg-a"));
        Assert.Equal(new[] { "aks-no-oidc", "aks-no-wi", "aks-ready" }, Complete(shell, "Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-"));
        Assert.Equal(new[] { "aks-ready" }, Complete(shell, "Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-r"));
        Assert.Contains(emulator.Server.Requests, r => r.Method == "GET" && r.Path.EndsWith("/managedClusters", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Without_a_connection_tab_sends_nothing_to_arm()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();

        Assert.DoesNotContain("rg-astronetes", Complete(shell, "Test-AksWorkloadIdentity -ResourceGroupName rg-a"));
        Assert.Empty(emulator.Server.Requests);
    }

    [Fact]
    public void Cluster_completion_without_a_resource_group_offers_the_subscriptions_clusters()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);

        Assert.Equal(new[] { "aks-no-oidc", "aks-no-wi", "aks-ready" }, Complete(shell, "Test-AksWorkloadIdentity -ClusterName aks-"));
        Assert.Contains(emulator.Server.Requests, r => r.Method == "GET"
            && r.Path.Equals("/subscriptions/" + EmulatorDefaults.SubscriptionId + "/providers/Microsoft.ContainerService/managedClusters", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void SubscriptionId_completes_with_the_subscriptions_the_credential_sees_by_id_or_name()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);

        Assert.Equal(new[] { EmulatorDefaults.SubscriptionId }, Complete(shell, "Test-AksWorkloadIdentity -SubscriptionId " + EmulatorDefaults.SubscriptionId[..4]));
        Assert.Equal(new[] { EmulatorDefaults.SubscriptionId }, Complete(shell, "New-AgentManagedIdentity -SubscriptionId '" + EmulatorDefaults.SubscriptionDisplayName[..3]));
        Assert.Empty(Complete(shell, "Test-AksWorkloadIdentity -SubscriptionId ffffffff"));
    }

    [Fact]
    public void Subscription_completion_without_a_connection_sends_nothing()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();

        Assert.Empty(Complete(shell, "Test-AksWorkloadIdentity -SubscriptionId 0"));
        Assert.Empty(emulator.Server.Requests);
    }

    [Fact]
    public async Task A_completion_call_that_times_out_is_cancelled_not_left_running_with_a_disposed_token_source()
    {
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? registrationFailure = null;

        bool finished = AstronetesWorkloadIdentity.Completion.ArmNameCompleter.TryCall(ct =>
        {
            started.SetResult(ct);
            // Like an HTTP request: it ends only when its token is cancelled.
            return call.Task;
        }, TimeSpan.FromMilliseconds(50), out string? result);

        Assert.False(finished);
        Assert.Null(result);
        CancellationToken token = await started.Task;
        try
        {
            // A call still running registers on its token (each retry, each read); that must not meet a disposed source.
            token.Register(() => call.TrySetCanceled(token)).Dispose();
        }
        catch (ObjectDisposedException e)
        {
            registrationFailure = e;
        }

        Assert.Null(registrationFailure);
        Assert.True(token.IsCancellationRequested, "the timed-out call must be told to stop");
        call.TrySetCanceled(token);
    }

    [Fact]
    public void A_slow_arm_gives_no_completion_instead_of_a_hang()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
        emulator.Server.AddFaults(new[] { new FaultRule { Method = "GET", Path = "/resourcegroups$", DelayMs = 20_000 } });
        AstronetesWorkloadIdentity.Completion.ArmNameCompleter.Timeout = AstronetesWorkloadIdentity.Completion.ArmNameCompleter.DefaultTimeout;
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.DoesNotContain("rg-astronetes", Complete(shell, "Test-AksWorkloadIdentity -ResourceGroupName rg-a"));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "completion should give up at its timeout, not wait for ARM");
        }
        finally
        {
            emulator.Server.ClearFaults();
        }
    }
}
