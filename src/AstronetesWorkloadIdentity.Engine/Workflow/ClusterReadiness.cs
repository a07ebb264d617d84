using System.Collections.Generic;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class ClusterReadiness
    {
        internal ClusterReadiness(ManagedCluster cluster, IReadOnlyList<string> problems, string? recommendedAction)
        {
            Cluster = cluster;
            Problems = problems;
            RecommendedAction = recommendedAction;
        }

        public ManagedCluster Cluster { get; }
        public bool IsReady => Problems.Count == 0;
        /// <summary>What is off, e.g. "The OIDC issuer is not enabled."</summary>
        public IReadOnlyList<string> Problems { get; }
        /// <summary>The az command that fixes it, with only the flags needed; null when ready.</summary>
        public string? RecommendedAction { get; }
    }
}
