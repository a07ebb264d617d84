using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Reliability;

/// <summary>
/// Interruption at any point (Ctrl+C is a cancellation; a killed process or lost network leaves the same half-done state)
/// leaves Azure where re-running the same setup completes it with no duplicate: at every step boundary and at random
/// points, over many iterations. The process-kill variant is in tests/Pester/Crash.Tests.ps1.
/// </summary>
public sealed class CrashTests(ScaledEmulatorFixture emulator) : IClassFixture<ScaledEmulatorFixture>
{
    private const string IdentityName = "astronetes-azure-agent";
    private const string Agent = "my-agent";
    private static readonly WriteApproval Yes = (_, _) => true;

    private AgentSpec Spec() => AgentSpec.ForCluster(new ClusterRef(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady), new[] { Agent }, IdentityName);

    /// <summary>Cancels the run when the n-th ARM answer arrives: the boundary after step n.</summary>
    private sealed class CancelAfter(int n, CancellationTokenSource cts) : IArmCallObserver
    {
        private int seen;
        public void OnCall(ArmCallRecord record)
        {
            if (Interlocked.Increment(ref seen) == n) cts.Cancel();
        }
    }

    private static async Task<bool> RunAsync(AgentLifecycle lifecycle, AgentSpec spec, CancellationToken ct)
    {
        try
        {
            var plan = await lifecycle.PlanAsync(spec, PlanMode.Create, false, ct);
            var result = await lifecycle.ApplyAsync(plan, Yes, null, ct);
            Assert.Empty(result.Failures);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task ReRunConverges(ArmConnection connection)
    {
        var lifecycle = new AgentLifecycle(connection.CreateClient());
        Assert.True(await RunAsync(lifecycle, Spec(), default));
        emulator.AssertExactlyOneSetup(IdentityName, Agent);
        // And a further run finds nothing to do.
        var plan = await lifecycle.PlanAsync(Spec(), PlanMode.Create, false, default);
        Assert.Empty(plan.Writes);
    }

    [Fact]
    public async Task CancelledAtEveryStepBoundary_ReRunConverges()
    {
        using var connection = emulator.CreateResilientConnection();
        // A fresh setup answers 5 ARM calls (2 reads, 3 writes); cancel after each, and after none.
        for (var n = 1; n <= 5; n++)
        {
            emulator.Reset();
            using var cts = new CancellationTokenSource();
            var lifecycle = new AgentLifecycle(connection.CreateClient(new CancelAfter(n, cts)));
            var completed = await RunAsync(lifecycle, Spec(), cts.Token);
            Assert.False(completed && n < 5, "the run was not interrupted after step " + n);
            await ReRunConverges(connection);
        }
    }

    [Fact]
    public async Task CancelledAtRandomPoints_OverManyIterations_EveryReRunConverges()
    {
        using var connection = emulator.CreateResilientConnection();
        var random = new Random(20261130);
        var interrupted = 0;
        for (var i = 0; i < 30; i++)
        {
            emulator.Reset();
            // Slow answers spread the run over ~100 ms so a random point lands inside a request as often as between two.
            emulator.Server.AddFaults([new FaultRule { Path = "^/subscriptions/", DelayMs = 15 + random.Next(15) }]);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, 160)));
            if (!await RunAsync(new AgentLifecycle(connection.CreateClient()), Spec(), cts.Token)) interrupted++;
            emulator.Server.ClearFaults();
            await ReRunConverges(connection);
        }
        // The random points did interrupt runs (most of them), so convergence was tested, not assumed.
        Assert.True(interrupted >= 10, interrupted + " of 30 runs were interrupted");
    }
}
