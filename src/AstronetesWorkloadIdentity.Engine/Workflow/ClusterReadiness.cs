using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>The lifecycle model's cluster observation, as the one-step cluster check reports it. Advice is the caller's.</summary>
    public sealed class ClusterReadiness
    {
        internal ClusterReadiness(ClusterIssuer issuer)
        {
            Issuer = issuer;
            Cluster = issuer.ManagedCluster!;
            Problems = issuer.NotReady.Select(f => Describe(f, issuer)).ToList();
        }

        public ClusterIssuer Issuer { get; }
        public ManagedCluster Cluster { get; }
        public bool IsReady => Issuer.IsReady;
        /// <summary>An operation on the cluster still runs (provisioning state not at rest, e.g. Updating).</summary>
        public bool IsUpdating => !ProvisioningStates.IsAtRest(Cluster.ProvisioningState);
        /// <summary>What is off, e.g. ClusterOidcIssuerDisabled; empty when ready.</summary>
        public IReadOnlyList<FindingCode> Findings => Issuer.NotReady;
        /// <summary>The findings in words, e.g. "The OIDC issuer is not enabled."</summary>
        public IReadOnlyList<string> Problems { get; }

        private static string Describe(FindingCode finding, ClusterIssuer issuer) => finding switch
        {
            FindingCode.ClusterOidcIssuerDisabled => "The OIDC issuer is not enabled.",
            FindingCode.ClusterWorkloadIdentityDisabled => "Workload identity is not enabled.",
            FindingCode.ClusterIssuerPending => "The OIDC issuer is enabled but the cluster reports no issuer URL yet (provisioning state: " + (issuer.ProvisioningState ?? "unknown") + ").",
            _ => finding.ToString(),
        };
    }
}
