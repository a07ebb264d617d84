namespace ArmEmulator;

/// <summary>
/// The ONE table of api-versions each resource type accepts (ARM-CONTRACT.md "API versions a server accepts":
/// every version a field client sends must work; unknown ones answer NoRegisteredProviderFound).
/// Keys are "{namespace}/{type}"; the message names the type without its namespace.
/// </summary>
internal static class ApiVersions
{
    public const string ManagedClusters = "Microsoft.ContainerService/managedClusters";
    public const string Identities = "Microsoft.ManagedIdentity/userAssignedIdentities";
    public const string FederatedCredentials = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
    public const string RoleAssignments = "Microsoft.Authorization/roleAssignments";
    public const string RoleDefinitions = "Microsoft.Authorization/roleDefinitions";
    public const string Subscriptions = "Microsoft.Resources/subscriptions";
    public const string ResourceGroups = "Microsoft.Resources/resourceGroups";
    public const string Providers = "Microsoft.Resources/providers";
    public const string ClusterOperations = "Microsoft.ContainerService/locations/operations";
    /// <summary>The one version AKS names in its Azure-AsyncOperation URLs (recorded 2023).</summary>
    public const string ClusterOperationsVersion = "2016-03-30";

    private static readonly Dictionary<string, string[]> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        [ManagedClusters] = ["2022-11-01", "2023-06-01", "2025-10-01", "2026-01-01"],
        // FICs do not exist in 2018-11-30 (ARM-CONTRACT.md); identities do.
        [Identities] = ["2018-11-30", "2022-01-31-preview", "2023-01-31", "2024-11-30"],
        [FederatedCredentials] = ["2022-01-31-preview", "2023-01-31", "2024-11-30"],
        [RoleAssignments] = ["2018-09-01-preview", "2020-04-01-preview", "2022-04-01"],
        [RoleDefinitions] = ["2018-01-01-preview", "2022-04-01"],
        [Subscriptions] = ["2019-11-01", "2022-12-01"],
        [ResourceGroups] = ["2021-04-01", "2022-09-01"],
        [Providers] = ["2021-04-01", "2022-09-01"],
        [ClusterOperations] = [ClusterOperationsVersion],
    };

    /// <summary>Regions named in NoRegisteredProviderFound messages.</summary>
    public static readonly string[] Locations =
        ["eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northeurope", "westeurope", "uksouth", "francecentral",
         "germanywestcentral", "swedencentral", "japaneast", "australiaeast", "southeastasia"];

    /// <summary>
    /// The versions <paramref name="resourceType"/> accepts: the state's <c>apiVersions</c> entry for it when there is
    /// one (a cloud that lags behind, ARM-CONTRACT.md), else the table above.
    /// </summary>
    public static IReadOnlyList<string> For(string resourceType, EmulatorState? state = null)
    {
        var lagging = state?.ApiVersions?.FirstOrDefault(kv => kv.Key.Equals(resourceType, StringComparison.OrdinalIgnoreCase)).Value;
        if (lagging is not null) return lagging;
        return Table.TryGetValue(resourceType, out var v) ? v : Array.Empty<string>();
    }

    public static bool IsAccepted(string resourceType, string version, EmulatorState? state = null) =>
        For(resourceType, state).Contains(version, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> All(EmulatorState? state = null) =>
        Table.Keys.Select(type => KeyValuePair.Create(type, For(type, state)));

    /// <summary>A state's <c>apiVersions</c> may only narrow types of the table: a typo would otherwise change nothing, silently.</summary>
    public static void ValidateOverride(EmulatorState state)
    {
        foreach (var type in state.ApiVersions?.Keys ?? Enumerable.Empty<string>())
        {
            if (!Table.ContainsKey(type))
                throw new InvalidDataException($"State apiVersions names '{type}', which is not one of: {string.Join(", ", Table.Keys)}.");
        }
    }
}
