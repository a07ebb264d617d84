using System.Text.Json.Nodes;

namespace ArmEmulator;

/// <summary>One managed-cluster create or update: it runs from <see cref="StartTime"/> to <see cref="EndTime"/> on the emulator clock.</summary>
internal sealed class ClusterOperation
{
    public required string Id { get; init; }
    public required string SubscriptionId { get; init; }
    public required string Location { get; init; }
    public required ClusterState Cluster { get; init; }
    /// <summary>The provisioningState while it runs: Creating or Updating.</summary>
    public required string Verb { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public required DateTimeOffset EndTime { get; init; }
    /// <summary>Set when the operation is to end Failed (<see cref="ClusterOperations.FailNext"/>): AKS's error code and message.</summary>
    public (string Code, string Message)? Failure { get; init; }
    public bool IsDone(DateTimeOffset now) => now >= EndTime;
}

/// <summary>
/// Long-running cluster operations. Completion is applied lazily (<see cref="Settle"/>) whenever a cluster or an
/// operation is read, so no timer runs. Every member expects the caller to hold the state lock.
/// </summary>
internal sealed class ClusterOperations
{
    private readonly Dictionary<string, ClusterOperation> byId = new(StringComparer.OrdinalIgnoreCase);
    private (string Code, string Message)? failNext;

    /// <summary>The next operation started runs its full time, then ends Failed with this error (the cluster's state Failed).</summary>
    public void FailNext(string code, string message) => failNext = (code, message);

    public ClusterOperation Start(ClusterState cluster, string verb, EmulatorClock clock)
    {
        var now = clock.Now;
        var operation = new ClusterOperation
        {
            Id = Guid.NewGuid().ToString(), SubscriptionId = cluster.SubscriptionId, Location = cluster.Location, Cluster = cluster,
            Verb = verb, StartTime = now, EndTime = now + clock.Real(clock.ClusterOperationDuration), Failure = failNext,
        };
        failNext = null;
        byId[operation.Id] = operation;
        cluster.ProvisioningState = verb;
        return operation;
    }

    /// <summary>The operation still running on <paramref name="cluster"/>, if any.</summary>
    public ClusterOperation? Running(ClusterState cluster, DateTimeOffset now) =>
        byId.Values.FirstOrDefault(o => ReferenceEquals(o.Cluster, cluster) && !o.IsDone(now));

    public ClusterOperation? Get(string id) => byId.GetValueOrDefault(id);

    /// <summary>Clusters whose operation has finished become Succeeded, or Failed when it failed.</summary>
    public void Settle(DateTimeOffset now)
    {
        foreach (var o in byId.Values)
        {
            if (o.IsDone(now) && o.Cluster.ProvisioningState == o.Verb && Running(o.Cluster, now) is null)
                o.Cluster.ProvisioningState = o.Failure is null ? "Succeeded" : "Failed";
        }
    }

    public void Clear()
    {
        byId.Clear();
        failNext = null;
    }

    /// <summary>
    /// The status URL AKS names in Azure-AsyncOperation (recorded: .../providers/Microsoft.ContainerService/locations/{loc}/operations/{id}?api-version=2016-03-30).
    /// </summary>
    public static string StatusUrl(Uri baseUri, ClusterOperation o) =>
        $"{baseUri}subscriptions/{o.SubscriptionId}/providers/Microsoft.ContainerService/locations/{o.Location}/operations/{o.Id}?api-version={ApiVersions.ClusterOperationsVersion}";

    /// <summary>
    /// The status body {name,status,startTime[,endTime]} as recorded. AKS's "name" is the operation GUID with the byte
    /// order of its first three groups swapped (28830174-9dcc-43c9-... → 74018328-cc9d-c943-...): its bytes in .NET's order.
    /// </summary>
    public static JsonObject Json(ClusterOperation o, DateTimeOffset now)
    {
        var done = o.IsDone(now);
        var body = new JsonObject
        {
            ["name"] = SwappedName(o.Id),
            ["status"] = !done ? "InProgress" : o.Failure is null ? "Succeeded" : "Failed",
            ["startTime"] = Timestamp(o.StartTime),
        };
        if (done) body["endTime"] = Timestamp(o.EndTime);
        // ARM's asynchronous-operation status for a failure: {"status":"Failed","error":{"code","message"}} (RPC async operations).
        if (done && o.Failure is { } failure) body["error"] = new JsonObject { ["code"] = failure.Code, ["message"] = failure.Message };
        return body;
    }

    internal static string SwappedName(string id)
    {
        var hex = Convert.ToHexStringLower(Guid.Parse(id).ToByteArray());
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>AKS writes UTC with seven fractional digits and a Z (e.g. 2024-03-12T00:21:38.3126072Z).</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
