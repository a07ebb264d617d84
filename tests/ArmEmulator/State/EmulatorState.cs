using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArmEmulator;

/// <summary>
/// The whole emulated world: directory (tenant, principals) and ARM resources.
/// The same JSON shape is read by <c>--state FILE</c> / <see cref="EmulatorOptions.State"/>
/// and returned by <c>GET /_emulator/state</c> (camelCase, see README.md).
/// </summary>
public sealed class EmulatorState
{
    public string TenantId { get; set; } = EmulatorDefaults.TenantId;
    public List<SubscriptionState> Subscriptions { get; set; } = new();
    public List<ResourceGroupState> ResourceGroups { get; set; } = new();
    public List<ClusterState> Clusters { get; set; } = new();
    public List<IdentityState> Identities { get; set; } = new();
    public List<PrincipalState> Principals { get; set; } = new();
    public List<RoleDefinitionState> RoleDefinitions { get; set; } = new();
    public List<RoleAssignmentState> RoleAssignments { get; set; } = new();
    /// <summary>
    /// Optional, to emulate a cloud that lags behind: per resource type ("{namespace}/{type}" as in the engine's PublishedApiVersions.cs),
    /// the api-versions accepted instead of the table's. Null (the default) = the table for every type.
    /// </summary>
    public Dictionary<string, List<string>>? ApiVersions { get; set; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>For the request log: every field written, nulls included.</summary>
    internal static readonly JsonSerializerOptions LogJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public EmulatorState DeepCopy() => FromJson(ToJson());
    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static EmulatorState FromJson(string json) =>
        JsonSerializer.Deserialize<EmulatorState>(json, Json) ?? throw new InvalidDataException("State JSON is empty.");
}

public sealed class SubscriptionState
{
    public string SubscriptionId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string State { get; set; } = "Enabled";
}

public sealed class ResourceGroupState
{
    public string SubscriptionId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Location { get; set; } = "";
    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class ClusterState
{
    public string SubscriptionId { get; set; } = "";
    public string ResourceGroup { get; set; } = "";
    public string Name { get; set; } = "";
    public string Location { get; set; } = "";
    public string KubernetesVersion { get; set; } = "1.33.3";
    public bool OidcIssuerEnabled { get; set; }
    public bool WorkloadIdentityEnabled { get; set; }
    /// <summary>The uuid of the issuer URL; the URL itself is served by the emulator: {base}oic/{location}/{tenantId}/{oidcIssuerId}/</summary>
    public string OidcIssuerId { get; set; } = Guid.NewGuid().ToString();
    public string ProvisioningState { get; set; } = "Succeeded";
    /// <summary>Object id of the cluster's system-assigned identity.</summary>
    public string PrincipalId { get; set; } = Guid.NewGuid().ToString();
    /// <summary>The cluster's Kubernetes API (Kubernetes/KubernetesApi.cs).</summary>
    public KubernetesState Kubernetes { get; set; } = new();
}

public sealed class IdentityState
{
    public string SubscriptionId { get; set; } = "";
    public string ResourceGroup { get; set; } = "";
    public string Name { get; set; } = "";
    public string Location { get; set; } = "";
    public Dictionary<string, string>? Tags { get; set; }
    public string ClientId { get; set; } = "";
    public string PrincipalId { get; set; } = "";
    public List<FederatedCredentialState> FederatedIdentityCredentials { get; set; } = new();
}

public sealed class FederatedCredentialState
{
    public string Name { get; set; } = "";
    public string Issuer { get; set; } = "";
    public string Subject { get; set; } = "";
    public List<string> Audiences { get; set; } = new();
    /// <summary>When Entra ID starts honouring it for token exchange (null: always); set on create and update.</summary>
    public DateTimeOffset? EffectiveAt { get; set; }
}

/// <summary>A directory principal (service principal of an app or of a managed identity, or a user).</summary>
public sealed class PrincipalState
{
    public string ObjectId { get; set; } = "";
    /// <summary>Application (client) id; null for users.</summary>
    public string? AppId { get; set; }
    public string DisplayName { get; set; } = "";
    /// <summary>ServicePrincipal, User or Group.</summary>
    public string PrincipalType { get; set; } = "ServicePrincipal";
    /// <summary>Client secret accepted at the token endpoint; null = no secret (e.g. managed identities).</summary>
    public string? ClientSecret { get; set; }
    /// <summary>When the principal appeared in the directory (drives the replication delay).</summary>
    public DateTimeOffset CreatedAt { get; set; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
}

public sealed class RoleDefinitionState
{
    /// <summary>The role definition GUID (the resource name).</summary>
    public string Name { get; set; } = "";
    public string RoleName { get; set; } = "";
    public string Description { get; set; } = "";
    public string Type { get; set; } = "BuiltInRole";
    public List<string> Actions { get; set; } = new();
    public List<string> NotActions { get; set; } = new();
    public List<string> DataActions { get; set; } = new();
    public List<string> NotDataActions { get; set; } = new();
}

public sealed class RoleAssignmentState
{
    /// <summary>The role assignment GUID (the resource name).</summary>
    public string Name { get; set; } = "";
    public string Scope { get; set; } = "";
    /// <summary>Role definition GUID.</summary>
    public string RoleDefinitionName { get; set; } = "";
    public string PrincipalId { get; set; } = "";
    public string PrincipalType { get; set; } = "User";
    public string? Description { get; set; }
    public string? Condition { get; set; }
    public string? ConditionVersion { get; set; }
    public DateTimeOffset CreatedOn { get; set; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset UpdatedOn { get; set; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public string? CreatedBy { get; set; }
    public string? UpdatedBy { get; set; }
    /// <summary>When it starts granting access (null: at once, as for seeded and admin-granted assignments).</summary>
    public DateTimeOffset? EffectiveAt { get; set; }
}
