using AstronetesWorkloadIdentity.Engine;

namespace ArmEmulator;

/// <summary>
/// The api-versions each resource type accepts: exactly the published ones of the engine's one table,
/// src/AstronetesWorkloadIdentity.Engine/PublishedApiVersions.cs (compiled in here), unless the state narrows them for a
/// lagging cloud. Unknown versions answer NoRegisteredProviderFound (docs/design/arm-contract.md "API versions a server accepts").
/// Keys are "{namespace}/{type}"; the message names the type without its namespace.
/// </summary>
internal static class ApiVersions
{
    public const string ManagedClusters = PublishedApiVersions.ManagedClusters;
    public const string Identities = PublishedApiVersions.Identities;
    public const string FederatedCredentials = PublishedApiVersions.FederatedCredentials;
    public const string RoleAssignments = PublishedApiVersions.RoleAssignments;
    public const string RoleDefinitions = PublishedApiVersions.RoleDefinitions;
    public const string Subscriptions = PublishedApiVersions.Subscriptions;
    public const string ResourceGroups = PublishedApiVersions.ResourceGroups;
    public const string Providers = PublishedApiVersions.Providers;
    public const string ClusterOperations = PublishedApiVersions.ClusterOperations;
    /// <summary>The one version AKS names in its Azure-AsyncOperation URLs (recorded 2023).</summary>
    public const string ClusterOperationsVersion = "2016-03-30";

    /// <summary>Regions named in NoRegisteredProviderFound messages.</summary>
    public static readonly string[] Locations =
        ["eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northeurope", "westeurope", "uksouth", "francecentral",
         "germanywestcentral", "swedencentral", "japaneast", "australiaeast", "southeastasia"];

    /// <summary>
    /// The versions <paramref name="resourceType"/> accepts: the state's <c>apiVersions</c> entry for it when there is
    /// one (a cloud that lags behind, docs/design/arm-contract.md), else the table above.
    /// </summary>
    public static IReadOnlyList<string> For(string resourceType, EmulatorState? state = null)
    {
        var lagging = state?.ApiVersions?.FirstOrDefault(kv => kv.Key.Equals(resourceType, StringComparison.OrdinalIgnoreCase)).Value;
        if (lagging is not null) return lagging;
        return PublishedApiVersions.For(resourceType);
    }

    public static bool IsAccepted(string resourceType, string version, EmulatorState? state = null) =>
        For(resourceType, state).Contains(version, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> All(EmulatorState? state = null) =>
        PublishedApiVersions.Types.Select(type => KeyValuePair.Create(type, For(type, state)));

    /// <summary>A state's <c>apiVersions</c> may only narrow types of the table: a typo would otherwise change nothing, silently.</summary>
    public static void ValidateOverride(EmulatorState state)
    {
        foreach (var type in state.ApiVersions?.Keys ?? Enumerable.Empty<string>())
        {
            if (PublishedApiVersions.For(type).Count == 0)
                throw new InvalidDataException($"State apiVersions names '{type}', which is not one of: {string.Join(", ", PublishedApiVersions.Types)}.");
        }
    }
}
