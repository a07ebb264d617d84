using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>A resolved ARM request: what it addresses (for api-version and RBAC checks) and who answers it.</summary>
internal sealed class ArmRoute
{
    /// <summary>"{namespace}/{type}" key of <see cref="ApiVersions"/>.</summary>
    public required string ResourceType { get; init; }
    /// <summary>RBAC action (e.g. Microsoft.ManagedIdentity/userAssignedIdentities/write); null = no authorization check.</summary>
    public string? Action { get; init; }
    /// <summary>Scope the action is checked over (the addressed resource id).</summary>
    public string AuthScope { get; init; } = "/";
    /// <summary>Subscription named in the path; must exist.</summary>
    public string? SubscriptionId { get; init; }
    public string? ResourceGroup { get; init; }
    public required Func<ArmCall, ArmResponse> Handler { get; init; }
    public string[] Segments { get; init; } = [];
    /// <summary>Set for a write the resource provider processes one at a time per key; null for everything else.</summary>
    public SerializedWrite? Serialized { get; init; }
}

/// <summary>
/// A write that takes <see cref="Latency"/> to process and that the resource provider refuses (<see cref="Conflict"/>)
/// while another write with the same <see cref="Key"/> is in flight - e.g. FIC writes under one identity
/// (409 ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity). The latency makes the window real.
/// </summary>
internal sealed record SerializedWrite(string Key, Func<EmulatorOptions, TimeSpan> Latency, Func<ArmException> Conflict);

/// <summary>What a handler answers; <paramref name="Headers"/> are extra response headers (Location, Azure-AsyncOperation).</summary>
internal sealed record ArmResponse(int Status, JsonNode? Body, IReadOnlyDictionary<string, string>? Headers = null);

internal sealed class ArmCall
{
    public required HttpContext Context { get; init; }
    public required EmulatorRuntime Runtime { get; init; }
    public required ArmRoute Route { get; init; }
    public required TokenClaims Caller { get; init; }
    public JsonNode? Body { get; init; }
    public StateStore Store => Runtime.Store;
    public EmulatorState State => Runtime.Store.Current;
    public string? Query(string name) => Context.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;
    public string Seg(int i) => Route.Segments[i];
    public DateTimeOffset Now => Runtime.Time.GetUtcNow();

    /// <summary>The resource group named in the path, or ResourceGroupNotFound. Caller holds the lock.</summary>
    public ResourceGroupState RequireResourceGroup() =>
        Store.ResourceGroup(Route.SubscriptionId!, Route.ResourceGroup!) ?? throw ArmErrors.ResourceGroupNotFound(Route.ResourceGroup!);
}
