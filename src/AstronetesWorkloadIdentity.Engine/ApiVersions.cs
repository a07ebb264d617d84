using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// The api-version the engine prefers for every ARM call, and the older ones it falls back to; all of them are taken
    /// from the one table of published versions, <see cref="PublishedApiVersions"/>.
    /// </summary>
    public static class ApiVersions
    {
        public const string ContainerService = "2025-10-01";
        public const string ManagedIdentity = "2024-11-30";
        public const string Authorization = "2022-04-01";
        public const string ResourceGroups = "2021-04-01";
        public const string Subscriptions = "2022-12-01";

        // Older versions the engine also speaks, newest first (tests check each is in PublishedApiVersions). Sovereign clouds lag behind AzureCloud and answer
        // NoRegisteredProviderFound to a version they do not have yet (azure-cli #23985); the client then falls back
        // to the newest of these that the error lists (ApiVersionNegotiator). A version belongs here only if every
        // field the engine sends and reads (ArmRequestBodies, ArmModelParser) means the same in it.

        /// <summary>
        /// Stable managedClusters versions that report properties.securityProfile.workloadIdentity: 2023-02-01 is the
        /// first stable one that has it, 2023-01-01 does not (Azure/bicep-types-az
        /// generated/containerservice/microsoft.containerservice/2023-0{1,2}-01/types.md): every published stable
        /// version from it up to the preferred one.
        /// </summary>
        internal static readonly string[] ContainerServiceFallbacks =
            PublishedApiVersions.StableFallbacks(PublishedApiVersions.ManagedClusters, "2023-02-01", ContainerService);

        /// <summary>
        /// Identities and federated credentials: 2022-01-31-preview is the first with FICs, 2023-01-31 only added
        /// systemData (learn.microsoft.com/azure/templates/microsoft.managedidentity/change-log/userassignedidentities/federatedidentitycredentials).
        /// 2018-11-30 has identities but no FICs, so it is left out: the setup needs both.
        /// </summary>
        internal static readonly string[] ManagedIdentityFallbacks =
            PublishedApiVersions.StableFallbacks(PublishedApiVersions.FederatedCredentials, "2023-01-31", ManagedIdentity)
                .Concat(new[] { "2022-01-31-preview" }).ToArray();

        /// <summary>
        /// 2020-04-01-preview role assignments carry properties.principalType (ServicePrincipal, User, Group,
        /// ForeignGroup), which the engine sends to skip the replication delay (azure-mgmt-authorization 4.0.0
        /// azure.mgmt.authorization.v2020_04_01_preview.models.PrincipalType; Azure/bicep-types-az
        /// generated/authorization/microsoft.authorization/2020-03-01-preview/types.md). 2018-01-01-preview has none.
        /// </summary>
        internal static readonly string[] RoleAssignmentFallbacks = { "2020-04-01-preview" };

        /// <summary>
        /// 2018-01-01-preview role definitions have properties.roleName, type and permissions, all the engine reads
        /// (Azure/bicep-types-az generated/authorization/microsoft.authorization/2018-01-01-preview/types.md).
        /// </summary>
        internal static readonly string[] RoleDefinitionFallbacks = { "2018-01-01-preview" };

        /// <summary>Resource groups: ARM itself serves them and 2021-04-01 is old enough for every cloud.</summary>
        internal static readonly string[] ResourceGroupFallbacks = { };

        /// <summary>Subscriptions: the tenant-level list ARM itself serves; 2022-12-01 is old enough for every cloud.</summary>
        internal static readonly string[] SubscriptionFallbacks = { };
    }
}
