using System.Security.Cryptography;
using System.Text;

namespace ArmEmulator;

/// <summary>
/// Where a cluster's API server is served ({base}k8s/{key}, key stable for the cluster's resource ID) and the static
/// credentials of its local accounts (a per-run secret: a token nobody was handed is refused).
/// </summary>
internal static class ClusterEndpoint
{
    /// <summary>The AKS server application (multi-tenant, the same everywhere): audience of Entra tokens for AKS API servers.</summary>
    public const string AksServerAppId = "6dae42f8-4368-4678-94ff-3960e28e3630";
    /// <summary>The Azure CLI's public client used by kubelogin's device-code login.</summary>
    public const string AksClientAppId = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";

    private static readonly byte[] RunSecret = RandomNumberGenerator.GetBytes(32);

    public static string Key(ClusterState c) =>
        ClusterRoutes.DeterministicGuid(c.SubscriptionId.ToLowerInvariant(), c.ResourceGroup.ToLowerInvariant(), c.Name.ToLowerInvariant());

    public static string Server(EmulatorRuntime runtime, ClusterState c) => $"{runtime.BaseUri}k8s/{Key(c)}";

    /// <summary>Static token of the "clusterUser" or "clusterAdmin" local account.</summary>
    public static string LocalToken(ClusterState c, string account) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(RunSecret, Encoding.UTF8.GetBytes(Key(c) + "|" + account)));
}
