using System.Collections.Generic;

namespace AstronetesWorkloadIdentity
{
    /// <summary>Whether an AKS cluster can federate workload identities, and its issuer URL exactly as ARM reports it.</summary>
    public sealed class AksWorkloadIdentityStatus
    {
        internal AksWorkloadIdentityStatus(string subscriptionId, string resourceGroupName, string clusterName, string location, bool oidcIssuerEnabled, bool workloadIdentityEnabled, string? issuerUrl, bool isReady, string clusterId, IReadOnlyList<string> problems, string? recommendedAction, string? provisioningState = null)
        {
            ProvisioningState = provisioningState;
            SubscriptionId = subscriptionId;
            ResourceGroupName = resourceGroupName;
            ClusterName = clusterName;
            Location = location;
            OidcIssuerEnabled = oidcIssuerEnabled;
            WorkloadIdentityEnabled = workloadIdentityEnabled;
            IssuerUrl = issuerUrl;
            IsReady = isReady;
            ClusterId = clusterId;
            Problems = problems;
            RecommendedAction = recommendedAction;
        }

        public string SubscriptionId { get; }
        public string ResourceGroupName { get; }
        public string ClusterName { get; }
        public string Location { get; }
        public bool OidcIssuerEnabled { get; }
        public bool WorkloadIdentityEnabled { get; }
        /// <summary>Kept byte for byte, trailing slash included: the token's iss must match it exactly.</summary>
        public string? IssuerUrl { get; }
        public bool IsReady { get; }
        public string ClusterId { get; }
        public IReadOnlyList<string> Problems { get; }
        public string? RecommendedAction { get; }
        /// <summary>As ARM reports it: Succeeded at rest, Updating while an operation (such as Enable-AksWorkloadIdentity -NoWait's) runs.</summary>
        public string? ProvisioningState { get; }
    }
}
