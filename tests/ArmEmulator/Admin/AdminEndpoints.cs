using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>
/// Test-control API under /_emulator/ (no token; loopback callers only; never logged):
/// GET requests, POST reset, GET state, POST faults, DELETE faults, POST grant, POST recreate-cluster,
/// POST fail-next-cluster-operation.
/// </summary>
internal static class AdminEndpoints
{
    public const string Prefix = "/_emulator";

    public static bool IsAdminPath(PathString path) => path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    private sealed record GrantRequest(string? PrincipalId, string? RoleName, string? Scope);
    private sealed record PodRequest(string? Cluster, string? Namespace, string? Name, string? ServiceAccountName, Dictionary<string, string>? Labels);
    private sealed record ClockRequest(double AdvanceSeconds);
    private sealed record RecreateClusterRequest(string? SubscriptionId, string? ResourceGroup, string? Name);
    private sealed record FailureRequest(string? Code, string? Message);

    public static async Task HandleAsync(HttpContext context, EmulatorServer server)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            await Write(context, 403, new JsonObject { ["error"] = new JsonObject { ["code"] = "Forbidden", ["message"] = "The emulator admin API only answers loopback callers." } });
            return;
        }
        var action = (context.Request.Path.Value ?? "")[Prefix.Length..].Trim('/').ToLowerInvariant();
        var method = context.Request.Method;
        try
        {
            switch (action, method)
            {
                case ("requests", "GET"):
                    await WriteRaw(context, 200, JsonSerializer.Serialize(server.Requests, EmulatorState.LogJson));
                    return;
                case ("reset", "POST"):
                    server.Reset();
                    context.Response.StatusCode = 204;
                    return;
                case ("state", "GET"):
                    await WriteRaw(context, 200, server.Snapshot().ToJson());
                    return;
                case ("faults", "POST"):
                    var rules = await JsonSerializer.DeserializeAsync<List<FaultRule>>(context.Request.Body, EmulatorState.Json, context.RequestAborted)
                                ?? new List<FaultRule>();
                    server.AddFaults(rules);
                    context.Response.StatusCode = 204;
                    return;
                case ("faults", "DELETE"):
                    server.ClearFaults();
                    context.Response.StatusCode = 204;
                    return;
                case ("grant", "POST"):
                    var grant = await JsonSerializer.DeserializeAsync<GrantRequest>(context.Request.Body, EmulatorState.Json, context.RequestAborted);
                    if (grant?.PrincipalId is null || grant.RoleName is null || grant.Scope is null)
                        throw new ArgumentException("principalId, roleName and scope are required.");
                    server.GrantRole(grant.PrincipalId, grant.RoleName, grant.Scope);
                    context.Response.StatusCode = 204;
                    return;
                case ("pods", "POST"):
                    var pod = await JsonSerializer.DeserializeAsync<PodRequest>(context.Request.Body, EmulatorState.Json, context.RequestAborted);
                    if (pod?.Cluster is null || pod.Namespace is null || pod.Name is null || pod.ServiceAccountName is null)
                        throw new ArgumentException("cluster, namespace, name and serviceAccountName are required.");
                    server.AddPod(pod.Cluster, pod.Namespace, pod.Name, pod.ServiceAccountName, pod.Labels);
                    context.Response.StatusCode = 204;
                    return;
                case ("clock", "POST"):
                    var clock = await JsonSerializer.DeserializeAsync<ClockRequest>(context.Request.Body, EmulatorState.Json, context.RequestAborted);
                    server.AdvanceClock(TimeSpan.FromSeconds(clock?.AdvanceSeconds ?? 0));
                    context.Response.StatusCode = 204;
                    return;
                case ("recreate-cluster", "POST"):
                    var recreate = await JsonSerializer.DeserializeAsync<RecreateClusterRequest>(context.Request.Body, EmulatorState.Json, context.RequestAborted);
                    if (recreate?.ResourceGroup is null || recreate.Name is null)
                        throw new ArgumentException("resourceGroup and name are required (subscriptionId is optional).");
                    var issuer = server.RecreateCluster(recreate.ResourceGroup, recreate.Name, recreate.SubscriptionId);
                    await Write(context, 200, new JsonObject { ["issuerURL"] = issuer.Length == 0 ? null : issuer });
                    return;
                case ("fail-next-cluster-operation", "POST"):
                    var failure = await JsonSerializer.DeserializeAsync<FailureRequest>(context.Request.Body, EmulatorState.Json, context.RequestAborted);
                    if (failure?.Code is null || failure.Message is null) throw new ArgumentException("code and message are required.");
                    server.FailNextClusterOperation(failure.Code, failure.Message);
                    context.Response.StatusCode = 204;
                    return;
                default:
                    await Write(context, 404, new JsonObject { ["error"] = new JsonObject { ["code"] = "NotFound", ["message"] = $"No admin endpoint {method} {Prefix}/{action}." } });
                    return;
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            await Write(context, 400, new JsonObject { ["error"] = new JsonObject { ["code"] = "BadRequest", ["message"] = e.Message } });
        }
    }

    private static Task Write(HttpContext context, int status, JsonObject body) => WriteRaw(context, status, body.ToJsonString(ArmJson.Options));

    private static Task WriteRaw(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json);
    }
}
