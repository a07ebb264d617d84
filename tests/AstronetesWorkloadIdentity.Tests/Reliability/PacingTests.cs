using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Reliability;

/// <summary>
/// Many agents at once against the managed-identity limits (2 identity writes per second per subscription, at 60x):
/// the connection paces the throttled kind of request instead of letting every concurrent request meet its own 429.
/// </summary>
public sealed class PacingTests(PacingEmulatorFixture emulator) : IClassFixture<PacingEmulatorFixture>
{
    private const int Agents = 40;
    private const int AtOnce = 16;

    [Fact]
    public async Task ManyAgentsAtOnce_AllSucceed_AndFewRequestsMeetA429()
    {
        emulator.Reset();
        // Few retries per request: without pacing, 16 requests racing for 2 tokens a second run out of them.
        using var connection = emulator.CreateDeployerConnection(o =>
        {
            o.MaxRetries = 3;
            o.RetryDelay = TimeSpan.FromMilliseconds(20);
            o.MaxRetryDelay = TimeSpan.FromSeconds(2);
            o.MaxRetryTime = TimeSpan.FromSeconds(60);
        });
        var lifecycle = new AgentLifecycle(connection.CreateClient());
        using var gate = new SemaphoreSlim(AtOnce);
        var runs = Enumerable.Range(1, Agents).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var spec = AgentSpec.ForCluster(new ClusterRef(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady), new[] { "agent-" + i }, "id-pacing-" + i);
                var plan = await lifecycle.PlanAsync(spec, PlanMode.Create, false, default);
                return await lifecycle.ApplyAsync(plan, (_, _) => true, null, default);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.Empty(r.Failures));
        Assert.Equal(Agents, emulator.Server.Snapshot().Identities.Count(i => i.Name.StartsWith("id-pacing-", StringComparison.Ordinal)));
        var identityWrites = emulator.Server.Requests.Where(r => r.Method == "PUT" && r.Path.Contains("/userAssignedIdentities/", StringComparison.OrdinalIgnoreCase)
            && !r.Path.Contains("/federatedIdentityCredentials/", StringComparison.OrdinalIgnoreCase)).ToList();
        var throttled = identityWrites.Count(r => r.Status == 429);
        // The first burst meets the limit (16 at once for a bucket of 2); after that the writes take their turns.
        Assert.True(throttled <= AtOnce + Agents / 4, $"{throttled} of {identityWrites.Count} identity writes were answered 429.");
    }
}

/// <summary>The managed-identity limits at 60x, with tokens that outlive a slow machine's run (unlike <see cref="ScaledEmulatorFixture"/>).</summary>
public sealed class PacingEmulatorFixture : EmulatorFixture
{
    protected override EmulatorOptions CreateEmulatorOptions() => new()
    {
        Clock = new EmulatorClock { TimeScale = 60 },
        PrincipalReplicationDelay = TimeSpan.FromSeconds(30),
        EnforceIdentityLimits = true,
    };
}
