using System.Collections.Generic;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>What was observed of one cluster: is it ready for workload identity, and its issuer URL.</summary>
    public sealed class ClusterIssuer
    {
        public ClusterIssuer(ClusterRef cluster, string location, string? issuerUrl, IReadOnlyList<FindingCode> notReady, string? provisioningState, ManagedCluster? managedCluster = null)
        {
            Cluster = cluster;
            Location = location;
            IssuerUrl = issuerUrl;
            NotReady = notReady;
            ProvisioningState = provisioningState;
            ManagedCluster = managedCluster;
        }

        internal static ClusterIssuer FromManagedCluster(ClusterRef cluster, ManagedCluster managed)
        {
            var notReady = new List<FindingCode>();
            if (!managed.OidcIssuerEnabled) notReady.Add(FindingCode.ClusterOidcIssuerDisabled);
            else if (managed.IssuerUrl == null) notReady.Add(FindingCode.ClusterIssuerPending);
            if (!managed.WorkloadIdentityEnabled) notReady.Add(FindingCode.ClusterWorkloadIdentityDisabled);
            return new ClusterIssuer(cluster, managed.Location, managed.IssuerUrl, notReady, managed.ProvisioningState, managed);
        }

        public ClusterRef Cluster { get; }
        public string Location { get; }
        /// <summary>Exactly as reported, trailing slash included; null when the issuer is off or not yet published.</summary>
        public string? IssuerUrl { get; }
        /// <summary>Empty when ready.</summary>
        public IReadOnlyList<FindingCode> NotReady { get; }
        public bool IsReady => NotReady.Count == 0;
        public string? ProvisioningState { get; }
        /// <summary>The ARM resource, for AKS clusters.</summary>
        public ManagedCluster? ManagedCluster { get; }
    }
}
