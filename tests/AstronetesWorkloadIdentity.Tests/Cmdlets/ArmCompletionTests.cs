using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>-ResourceGroupName and -ClusterName complete from ARM, only for a connected session.</summary>
public sealed class ArmCompletionTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture emulator;

    public ArmCompletionTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Server.Reset();
    }

    private static string[] Complete(ModuleRunspace shell, string line)
    {
        shell.Set("line", line);
        ScriptResult result = shell.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText");
        result.AssertNoErrors();
        return result.Output.Cast<string>().ToArray();
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
    public void Cluster_completion_waits_for_a_resource_group()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);

        Assert.DoesNotContain("aks-ready", Complete(shell, "Test-AksWorkloadIdentity -ClusterName aks-"));
        Assert.DoesNotContain(emulator.Server.Requests, r => r.Path.EndsWith("/managedClusters", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_slow_arm_gives_no_completion_instead_of_a_hang()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
        emulator.Server.AddFaults(new[] { new FaultRule { Method = "GET", Path = "/resourcegroups$", DelayMs = 20_000 } });
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
