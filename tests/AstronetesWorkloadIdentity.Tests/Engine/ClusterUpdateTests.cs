using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Engine;

/// <summary>Enabling a cluster: the long-running PUT against the emulator's AKS (issue 10, "Cluster updates are long-running operations").</summary>
public class ClusterUpdateTests : IClassFixture<FastClusterOperationFixture>, IDisposable
{
    private static readonly WriteApproval Yes = (_, _) => true;
    private static readonly ClusterUpdateOptions FastPolling = new() { FirstPollDelay = TimeSpan.FromMilliseconds(50), MaxPollDelay = TimeSpan.FromMilliseconds(200) };
    private readonly FastClusterOperationFixture emulator;
    private readonly ArmConnection connection;
    private readonly ArmRestClient client;

    public ClusterUpdateTests(FastClusterOperationFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
        connection = emulator.CreateDeployerConnection();
        client = connection.CreateClient();
    }

    public void Dispose() => connection.Dispose();

    private string ClusterId(string name) => ArmResourceId.ManagedCluster(emulator.SubscriptionId, emulator.ResourceGroup, name);

    private List<RequestLogEntry> ClusterPuts() => emulator.ArmRequests().Where(r => r.Method == "PUT" && r.Path.Contains("/managedClusters/", StringComparison.OrdinalIgnoreCase)).ToList();

    private Task<ClusterUpdate> StartAsync(string cluster, IProgress<ClusterUpdateProgress>? progress = null, ClusterUpdateOptions? options = null, WriteApproval? approve = null)
        => new WorkloadIdentityEnabler(client, options ?? FastPolling).StartAsync(emulator.SubscriptionId, emulator.ResourceGroup, cluster, approve ?? Yes, progress, default);

    [Fact]
    public async Task EnablesBothFeaturesByPuttingTheWholeClusterBackAndPollingToTheEnd()
    {
        var progress = new Recorded();

        var update = await StartAsync(EmulatorDefaults.ClusterNoOidc, progress);
        Assert.True(update.Started);
        Assert.False(update.HasCompleted);
        Assert.Matches(@"/providers/Microsoft\.ContainerService/locations/westeurope/operations/[0-9a-f-]{36}\?api-version=2016-03-30$", update.OperationId);
        var readiness = await update.WaitForCompletionAsync(progress, default);

        Assert.True(readiness.IsReady, string.Join(" ", readiness.Problems));
        Assert.True(readiness.Cluster.OidcIssuerEnabled);
        Assert.True(readiness.Cluster.WorkloadIdentityEnabled);
        Assert.EndsWith("/", readiness.Cluster.IssuerUrl);
        Assert.Equal("Succeeded", readiness.Cluster.ProvisioningState);
        Assert.Equal(ClusterUpdateStage.Completed, progress.Items.Last().Stage);
        Assert.Contains(progress.Items, p => p.Stage == ClusterUpdateStage.Updating);
        // The whole body went back (as az does), not a patch of the two switches.
        var put = Assert.Single(ClusterPuts());
        var body = JsonNode.Parse(put.Body!)!;
        Assert.Equal("msi", (string?)body["properties"]!["servicePrincipalProfile"]!["clientId"]);
        Assert.NotNull(body["properties"]!["agentPoolProfiles"]);
        Assert.True((bool)body["properties"]!["oidcIssuerProfile"]!["enabled"]!);
        Assert.True((bool)body["properties"]!["securityProfile"]!["workloadIdentity"]!["enabled"]!);
        Assert.Contains(emulator.ArmRequests(), r => r.Method == "GET" && r.Path.Contains("/operations/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadyClusterIsNotWrittenNorAskedAbout()
    {
        var asked = 0;
        var update = await StartAsync(EmulatorDefaults.ClusterReady, approve: (_, _) => { asked++; return true; });

        Assert.False(update.Started);
        Assert.True(update.HasCompleted);
        Assert.True((await update.WaitForCompletionAsync(null, default)).IsReady);
        Assert.Equal(0, asked);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public async Task DeclinedApprovalWritesNothingAndReportsTheClusterAsItIs()
    {
        string? askedFor = null;
        var update = await StartAsync(EmulatorDefaults.ClusterNoWorkloadIdentity, approve: (id, action) => { askedFor = id + " | " + action; return false; });

        Assert.True(update.WasDeclined);
        Assert.False(update.Started);
        Assert.False((await update.WaitForCompletionAsync(null, default)).Cluster.WorkloadIdentityEnabled);
        Assert.Equal(ClusterId(EmulatorDefaults.ClusterNoWorkloadIdentity) + " | " + WorkloadIdentityEnabler.EnableAction, askedFor);
        Assert.Contains("cannot be turned off again", askedFor);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public async Task BusyClusterIsWaitedForThenUpdated()
    {
        // Someone else's update is running: only the issuer is being turned on.
        var id = ClusterId(EmulatorDefaults.ClusterNoOidc);
        var document = await client.GetManagedClusterDocumentAsync(id, default);
        document.Body["properties"]!["oidcIssuerProfile"] = new JsonObject { ["enabled"] = true };
        await client.PutManagedClusterAsync(id, document.Body, default);
        var progress = new Recorded();

        var update = await StartAsync(EmulatorDefaults.ClusterNoOidc, progress);
        var readiness = await update.WaitForCompletionAsync(progress, default);

        Assert.True(update.Started);
        Assert.True(readiness.IsReady, string.Join(" ", readiness.Problems));
        Assert.Contains(progress.Items, p => p.Stage == ClusterUpdateStage.WaitingForOtherOperation && p.Status == "Updating");
        // Waiting means not writing while it runs: one PUT from the other party, one from us, no refused one.
        Assert.Equal(2, ClusterPuts().Count);
        Assert.All(ClusterPuts(), put => Assert.Equal(200, put.Status));
    }

    [Fact]
    public async Task RefusedAsBusyBetweenReadAndWriteIsRetriedAfterWaiting()
    {
        // An operation that starts between our GET and our PUT: ARM answers 409 OperationNotAllowed.
        emulator.Server.AddFaults(new[]
        {
            new FaultRule { Method = "PUT", Path = "/managedClusters/" + EmulatorDefaults.ClusterNoOidc + "$", Status = 409, Code = "OperationNotAllowed",
                Message = "Operation is not allowed: Another operation (Updating) is in progress, please wait for it to finish before starting a new operation.", Times = 1 },
        });
        var progress = new Recorded();

        var update = await StartAsync(EmulatorDefaults.ClusterNoOidc, progress);
        var readiness = await update.WaitForCompletionAsync(progress, default);

        Assert.True(readiness.IsReady);
        Assert.Equal(new[] { 409, 200 }, ClusterPuts().Select(p => p.Status));
        Assert.Contains(progress.Items, p => p.Stage == ClusterUpdateStage.WaitingForOtherOperation);
    }

    [Fact]
    public async Task BusyForLongerThanTheBoundFailsWithoutChangingAnything()
    {
        emulator.Server.AddFaults(new[]
        {
            new FaultRule { Method = "PUT", Path = "/managedClusters/" + EmulatorDefaults.ClusterNoOidc + "$", Status = 409, Code = "OperationNotAllowed", Message = "Another operation is in progress." },
        });
        var options = new ClusterUpdateOptions { FirstPollDelay = TimeSpan.FromMilliseconds(20), MaxPollDelay = TimeSpan.FromMilliseconds(50), BusyTimeout = TimeSpan.FromMilliseconds(200) };

        var e = await Assert.ThrowsAsync<ArmException>(() => StartAsync(EmulatorDefaults.ClusterNoOidc, options: options));

        Assert.Equal(409, e.Status);
        Assert.Equal("OperationNotAllowed", e.ErrorCode);
        Assert.Contains("still busy", e.ArmMessage);
        Assert.Contains("nothing was changed", e.ArmMessage);
        Assert.True(ClusterPuts().Count >= 2, "it retried while waiting");
        var after = await new AgentSetupWorkflow(client).CheckClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterNoOidc, default);
        Assert.False(after.Cluster.OidcIssuerEnabled);
    }

    [Fact]
    public async Task SecondCallWhileTheFirstRunsFollowsItWithoutWriting()
    {
        var first = await StartAsync(EmulatorDefaults.ClusterNoOidc);

        var second = await StartAsync(EmulatorDefaults.ClusterNoOidc);
        var readiness = await second.WaitForCompletionAsync(null, default);

        Assert.False(second.Started);
        Assert.True(readiness.IsReady);
        Assert.Equal("Succeeded", readiness.Cluster.ProvisioningState);
        Assert.Single(ClusterPuts());
        Assert.True((await first.WaitForCompletionAsync(null, default)).IsReady);
    }

    [Fact]
    public async Task WaitingCanBeCanceled()
    {
        var update = await StartAsync(EmulatorDefaults.ClusterNoOidc, options: new ClusterUpdateOptions { FirstPollDelay = TimeSpan.FromMinutes(5), MaxPollDelay = TimeSpan.FromMinutes(5) });
        using var cancel = new CancellationTokenSource();
        var progress = new Recorded(p => { if (p.Stage == ClusterUpdateStage.Updating) cancel.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => update.WaitForCompletionAsync(progress, cancel.Token));
    }

    [Fact]
    public void SetsTheTwoSwitchesInTheCasingArmReturnedAndKeepsEverythingElse()
    {
        var body = JsonNode.Parse("""{"properties":{"OidcIssuerProfile":{"enabled":false},"securityProfile":{},"dnsPrefix":"x"}}""")!.AsObject();

        WorkloadIdentityEnabler.EnableProfiles(body);

        Assert.Equal("""{"properties":{"OidcIssuerProfile":{"enabled":true},"securityProfile":{"workloadIdentity":{"enabled":true}},"dnsPrefix":"x"}}""", body.ToJsonString());
    }

    private sealed class Recorded(Action<ClusterUpdateProgress>? also = null) : IProgress<ClusterUpdateProgress>
    {
        private readonly ConcurrentQueue<ClusterUpdateProgress> items = new();

        public IReadOnlyList<ClusterUpdateProgress> Items => items.ToList();

        public void Report(ClusterUpdateProgress value)
        {
            items.Enqueue(value);
            also?.Invoke(value);
        }
    }
}
