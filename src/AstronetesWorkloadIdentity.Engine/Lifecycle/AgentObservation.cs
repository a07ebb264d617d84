using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>What exists in Azure for one <see cref="AgentSpec"/>, read in as few round trips as the dependencies allow.</summary>
    public sealed class AgentObservation
    {
        internal AgentObservation(AgentSpec spec, IReadOnlyDictionary<ClusterRef, ClusterIssuer> clusters, UserAssignedIdentity? identity, string roleDefinitionGuid,
            RoleAssignment? roleAssignment, IReadOnlyList<FederatedIdentityCredential> credentials, IReadOnlyDictionary<ClusterRef, DiscoveredIssuer>? discovery)
        {
            Spec = spec;
            Clusters = clusters;
            Identity = identity;
            RoleDefinitionGuid = roleDefinitionGuid;
            RoleAssignment = roleAssignment;
            Credentials = credentials;
            Discovery = discovery;
        }

        public AgentSpec Spec { get; }
        public IReadOnlyDictionary<ClusterRef, ClusterIssuer> Clusters { get; }
        /// <summary>Null: the identity does not exist (then it has no role assignment and no credentials either, without asking).</summary>
        public UserAssignedIdentity? Identity { get; }
        public string RoleDefinitionGuid { get; }
        /// <summary>The identity's assignment of the spec's role at exactly the spec's scope (inherited ones do not count).</summary>
        public RoleAssignment? RoleAssignment { get; }
        /// <summary>All credentials on the identity (the 20-per-identity limit counts them all).</summary>
        public IReadOnlyList<FederatedIdentityCredential> Credentials { get; }
        /// <summary>Null unless discovery documents were asked for.</summary>
        public IReadOnlyDictionary<ClusterRef, DiscoveredIssuer>? Discovery { get; }

        /// <summary>The federation's credential: the one under its name, else one that federates the same issuer and subject.</summary>
        public FederatedIdentityCredential? CredentialFor(AgentFederation federation)
        {
            var byName = Credentials.FirstOrDefault(c => string.Equals(c.Name, federation.CredentialName, System.StringComparison.OrdinalIgnoreCase));
            if (byName != null) return byName;
            var issuer = Clusters.TryGetValue(federation.Cluster, out var cluster) ? cluster.IssuerUrl : null;
            if (issuer == null) return null;
            return Credentials.FirstOrDefault(c => string.Equals(c.Issuer, issuer, System.StringComparison.Ordinal)
                                                   && string.Equals(c.Subject, federation.Subject, System.StringComparison.Ordinal));
        }
    }

    /// <summary>The <c>issuer</c> a cluster's discovery document names, or why it could not be read.</summary>
    public sealed class DiscoveredIssuer
    {
        public DiscoveredIssuer(string documentUrl, string? issuer, string? error)
        {
            DocumentUrl = documentUrl;
            Issuer = issuer;
            Error = error;
        }

        public string DocumentUrl { get; }
        public string? Issuer { get; }
        /// <summary>Null when read; otherwise what went wrong (status, not JSON, no issuer).</summary>
        public string? Error { get; }
    }
}
