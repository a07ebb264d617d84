using System.Diagnostics;
using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Engine;

public class RetryAndCancellationTests : IClassFixture<EmulatorFixture>
{
    private const string ClusterPath = "managedClusters/aks-ready$";
    private readonly EmulatorFixture emulator;

    public RetryAndCancellationTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
    }

    [Theory]
    [InlineData(429, "SubscriptionRequestsThrottled")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task TransientFailuresAreRetriedHonouringRetryAfter(int status, string code)
    {
        emulator.Server.AddFaults([new FaultRule
        {
            Method = "GET", Path = ClusterPath, Status = status, Code = code, Times = 2,
            Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
        }]);
        using var connection = emulator.CreateDeployerConnection();
        var recorder = new ArmCallRecorder();

        var stopwatch = Stopwatch.StartNew();
        var cluster = await connection.CreateClient(recorder).GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);
        stopwatch.Stop();

        Assert.True(cluster.OidcIssuerEnabled);
        Assert.Equal(new[] { status, status, 200 }, emulator.ArmRequests().Select(r => r.Status));
        // The retry delay is 20 ms; only Retry-After explains two waits of a second.
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1.9), $"elapsed {stopwatch.Elapsed}");
        Assert.Equal(new[] { 1, 2, 3 }, recorder.Records.Select(r => r.Attempt));
        Assert.Equal(code, recorder.Records[0].ErrorCode);
    }

    [Theory]
    [InlineData(400, "InvalidRequestContent")]
    [InlineData(409, "Conflict")]
    public async Task ClientErrorsAreNotRetried(int status, string code)
    {
        emulator.Server.AddFaults([new FaultRule { Method = "GET", Path = ClusterPath, Status = status, Code = code, Times = 5 }]);
        using var connection = emulator.CreateDeployerConnection();

        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default));

        Assert.Equal(status, ex.Status);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Single(emulator.ArmRequests());
    }

    [Fact]
    public async Task PersistentThrottlingFailsAfterMaxRetries()
    {
        emulator.Server.AddFaults([new FaultRule { Method = "GET", Path = ClusterPath, Status = 429, Code = "SubscriptionRequestsThrottled" }]);
        using var connection = emulator.CreateDeployerConnection(o => o.MaxRetries = 2);

        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default));

        Assert.Equal(429, ex.Status);
        Assert.Equal(3, emulator.ArmRequests().Count);
    }

    [Fact]
    public async Task DroppedConnectionsBecomeNetworkErrorAfterRetries()
    {
        emulator.Server.AddFaults([new FaultRule { Method = "GET", Path = ClusterPath, Drop = true }]);
        using var connection = emulator.CreateDeployerConnection(o => o.MaxRetries = 1);

        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default));

        Assert.Equal("NetworkError", ex.ErrorCode);
        Assert.Equal(0, ex.Status);
        Assert.NotNull(ex.InnerException);
        Assert.EndsWith("/managedClusters/aks-ready", ex.ResourceId);
    }

    [Fact]
    public async Task CancellationStopsAWaitingCallPromptly()
    {
        emulator.Server.AddFaults([new FaultRule { Method = "GET", Path = ClusterPath, DelayMs = 20000 }]);
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();
        await client.GetResourceGroupAsync(emulator.SubscriptionId, emulator.ResourceGroup, default); // token already cached
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, cts.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(12), $"elapsed {stopwatch.Elapsed}"); // under the 20 s delay, with room for a loaded machine
    }

    [Fact]
    public async Task AlreadyCancelledTokenSendsNothing()
    {
        using var connection = emulator.CreateDeployerConnection();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, new CancellationToken(true)));

        Assert.Empty(emulator.ArmRequests());
    }
}
