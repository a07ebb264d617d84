using System;
using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// The ONE table of api-versions each resource type publishes, stable and preview, oldest first. ARM accepts every
    /// one of them; the engine prefers one (<see cref="ApiVersions"/>) and falls back among them; the ARM emulator
    /// (tests/ArmEmulator, which compiles this file in) accepts exactly these.
    /// Source: github.com/Azure/azure-rest-api-specs, read 2026-11-30 - the autorest readme.md tags and version folders of
    /// specification/containerservice/resource-manager/Microsoft.ContainerService/aks (managedClusters.json inputs),
    /// specification/msi/resource-manager/Microsoft.ManagedIdentity/ManagedIdentity, and
    /// specification/authorization/resource-manager/Microsoft.Authorization ({stable,preview}/*/authorization-Role{Assignments,Definitions}Calls.json).
    /// The Microsoft.Resources rows are the versions field clients are known to send (docs/design/arm-contract.md), not yet the full spec list.
    /// Plain C# 7.3: it compiles into the netstandard2.0 engine and the net10 emulator alike.
    /// </summary>
    internal static class PublishedApiVersions
    {
        public const string Source = "github.com/Azure/azure-rest-api-specs (readme.md tags and version folders)";
        public const string RetrievedOn = "2026-11-30";

        public const string ManagedClusters = "Microsoft.ContainerService/managedClusters";
        public const string ClusterOperations = "Microsoft.ContainerService/locations/operations";
        public const string Identities = "Microsoft.ManagedIdentity/userAssignedIdentities";
        public const string FederatedCredentials = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
        public const string RoleAssignments = "Microsoft.Authorization/roleAssignments";
        public const string RoleDefinitions = "Microsoft.Authorization/roleDefinitions";
        public const string Subscriptions = "Microsoft.Resources/subscriptions";
        public const string ResourceGroups = "Microsoft.Resources/resourceGroups";
        public const string Providers = "Microsoft.Resources/providers";

        private static readonly Dictionary<string, string[]> Table = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            [ManagedClusters] = new[]
            {
                "2017-08-31", "2018-03-31", "2018-08-01-preview", "2019-02-01", "2019-04-01", "2019-06-01", "2019-08-01",
                "2019-10-01", "2019-11-01", "2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01", "2020-06-01", "2020-07-01",
                "2020-09-01", "2020-11-01", "2020-12-01", "2021-02-01", "2021-03-01", "2021-05-01", "2021-07-01", "2021-08-01",
                "2021-09-01", "2021-10-01", "2021-11-01-preview", "2022-01-01", "2022-01-02-preview", "2022-02-01",
                "2022-02-02-preview", "2022-03-01", "2022-03-02-preview", "2022-04-01", "2022-04-02-preview", "2022-05-02-preview",
                "2022-06-01", "2022-06-02-preview", "2022-07-01", "2022-07-02-preview", "2022-08-02-preview", "2022-08-03-preview",
                "2022-09-01", "2022-09-02-preview", "2022-10-02-preview", "2022-11-01", "2022-11-02-preview", "2023-01-01",
                "2023-01-02-preview", "2023-02-01", "2023-02-02-preview", "2023-03-01", "2023-03-02-preview", "2023-04-01",
                "2023-04-02-preview", "2023-05-01", "2023-05-02-preview", "2023-06-01", "2023-06-02-preview", "2023-07-01",
                "2023-07-02-preview", "2023-08-01", "2023-08-02-preview", "2023-09-01", "2023-09-02-preview", "2023-10-01",
                "2023-10-02-preview", "2023-11-01", "2023-11-02-preview", "2024-01-01", "2024-01-02-preview", "2024-02-01",
                "2024-02-02-preview", "2024-03-02-preview", "2024-04-02-preview", "2024-05-01", "2024-05-02-preview",
                "2024-06-02-preview", "2024-07-01", "2024-07-02-preview", "2024-08-01", "2024-09-01", "2024-09-02-preview",
                "2024-10-01", "2024-10-02-preview", "2025-01-01", "2025-01-02-preview", "2025-02-01", "2025-02-02-preview",
                "2025-03-01", "2025-03-02-preview", "2025-04-01", "2025-04-02-preview", "2025-05-01", "2025-05-02-preview",
                "2025-06-02-preview", "2025-07-01", "2025-07-02-preview", "2025-08-01", "2025-08-02-preview", "2025-09-01",
                "2025-09-02-preview", "2025-10-01", "2025-10-02-preview", "2026-01-01", "2026-01-02-preview", "2026-02-01",
                "2026-02-02-preview", "2026-03-01", "2026-03-02-preview", "2026-04-01", "2026-04-02-preview", "2026-05-01",
                "2026-05-02-preview", "2026-06-01", "2026-06-02-preview",
            },
            // Not in the specs: the one version AKS names in its Azure-AsyncOperation URLs (recorded 2023, azure-cli acs tests).
            [ClusterOperations] = new[] { "2016-03-30" },
            [Identities] = new[]
            {
                "2015-08-31-preview", "2018-11-30", "2021-09-30-preview", "2022-01-31-preview", "2023-01-31", "2023-07-31-preview",
                "2024-11-30", "2025-01-31-preview", "2025-05-31-preview", "2026-05-31",
            },
            // Federated credentials first appear in 2022-01-31-preview (none in 2018-11-30 or 2021-09-30-preview).
            [FederatedCredentials] = new[]
            {
                "2022-01-31-preview", "2023-01-31", "2023-07-31-preview", "2024-11-30", "2025-01-31-preview", "2025-05-31-preview", "2026-05-31",
            },
            [RoleAssignments] = new[]
            {
                "2015-07-01", "2017-10-01-preview", "2018-01-01-preview", "2018-09-01-preview", "2020-03-01-preview",
                "2020-04-01-preview", "2020-08-01-preview", "2020-10-01-preview", "2022-01-01-preview", "2022-03-01", "2022-04-01",
                "2022-05-01-preview",
            },
            [RoleDefinitions] = new[]
            {
                "2015-07-01", "2017-10-01-preview", "2018-01-01-preview", "2022-03-01", "2022-04-01", "2022-05-01-preview",
            },
            [Subscriptions] = new[] { "2019-11-01", "2022-12-01" },
            [ResourceGroups] = new[] { "2021-04-01", "2022-09-01" },
            [Providers] = new[] { "2021-04-01", "2022-09-01" },
        };

        /// <summary>Every resource type of the table.</summary>
        public static IEnumerable<string> Types => Table.Keys;

        /// <summary>The published versions of <paramref name="resourceType"/>, oldest first; empty for a type not in the table.</summary>
        public static IReadOnlyList<string> For(string resourceType)
        {
            return Table.TryGetValue(resourceType, out string[]? versions) ? versions! : new string[0];
        }

        public static bool IsPreview(string version) => version.EndsWith("-preview", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Stable versions of <paramref name="resourceType"/> from <paramref name="oldest"/> up to, not including,
        /// <paramref name="preferred"/>, newest first: the engine's fallbacks when every version in that range means the
        /// same for the fields it sends and reads.
        /// </summary>
        public static string[] StableFallbacks(string resourceType, string oldest, string preferred)
        {
            var published = For(resourceType);
            if (!published.Contains(oldest) || !published.Contains(preferred))
                throw new InvalidOperationException("'" + oldest + "' and '" + preferred + "' must both be published versions of " + resourceType + ".");
            return published
                .Where(v => !IsPreview(v) && string.CompareOrdinal(v, oldest) >= 0 && string.CompareOrdinal(v, preferred) < 0)
                .OrderByDescending(v => v, StringComparer.Ordinal)
                .ToArray();
        }
    }
}
