using System;
using System.Collections.Generic;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>A resource type the engine calls, with the api-versions it speaks for it: preferred first, then older ones.</summary>
    internal sealed class ArmApiType
    {
        public static readonly ArmApiType ManagedClusters = new ArmApiType("Microsoft.ContainerService/managedClusters",
            ApiVersions.ContainerService, ApiVersions.ContainerServiceFallbacks);
        public static readonly ArmApiType Identities = new ArmApiType("Microsoft.ManagedIdentity/userAssignedIdentities",
            ApiVersions.ManagedIdentity, ApiVersions.ManagedIdentityFallbacks);
        public static readonly ArmApiType FederatedCredentials = new ArmApiType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
            ApiVersions.ManagedIdentity, ApiVersions.ManagedIdentityFallbacks);
        public static readonly ArmApiType RoleAssignments = new ArmApiType("Microsoft.Authorization/roleAssignments",
            ApiVersions.Authorization, ApiVersions.RoleAssignmentFallbacks);
        public static readonly ArmApiType RoleDefinitions = new ArmApiType("Microsoft.Authorization/roleDefinitions",
            ApiVersions.Authorization, ApiVersions.RoleDefinitionFallbacks);
        public static readonly ArmApiType ResourceGroups = new ArmApiType("Microsoft.Resources/resourceGroups",
            ApiVersions.ResourceGroups, ApiVersions.ResourceGroupFallbacks);
        public static readonly ArmApiType Subscriptions = new ArmApiType("Microsoft.Resources/subscriptions",
            ApiVersions.Subscriptions, ApiVersions.SubscriptionFallbacks);

        private ArmApiType(string name, string preferred, IReadOnlyList<string> fallbacks)
        {
            Name = name;
            Preferred = preferred;
            var known = new List<string> { preferred };
            known.AddRange(fallbacks);
            Known = known.AsReadOnly();
        }

        /// <summary>"{namespace}/{type}[/{child type}]", as ARM names it.</summary>
        public string Name { get; }
        public string Preferred { get; }
        /// <summary>Every version the engine speaks for this type, newest (preferred) first.</summary>
        public IReadOnlyList<string> Known { get; }

        public override string ToString() => Name;
    }
}
