using System.Management.Automation;
using AstronetesWorkloadIdentity.Completion;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Finds the agents federated to a cluster: user-assigned identities in the cluster's subscription with a credential
    /// whose issuer is exactly the cluster's. Returns their agent configurations, which pipe into Test-, Repair- and
    /// Remove-AgentWorkloadIdentity.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AgentWorkloadIdentity")]
    [OutputType(typeof(AgentConfiguration))]
    public sealed class GetAgentWorkloadIdentityCommand : AgentCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
        public string ResourceGroupName { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterNameCompleter))]
        public string ClusterName { get; set; } = string.Empty;

        /// <summary>Only agents whose service account matches; wildcards allowed.</summary>
        [Parameter(Position = 2)]
        [Alias("ServiceAccountName")]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string? AgentName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? SubscriptionId { get; set; }

        protected override void ProcessRecord()
        {
            ClusterRef? cluster = TryResolveCluster(ResourceGroupName, ClusterName, SubscriptionId);
            if (cluster == null)
            {
                return;
            }

            AgentLifecycle lifecycle = CreateLifecycle(readDiscovery: false);
            var step = new StepDescription("Cluster", "Finding the agents of cluster '" + ClusterName + "'", cluster!.Id);
            FoundAgents? found = TryStep(step, ct => lifecycle.FindAgentsAsync(cluster, ct));
            if (found == null)
            {
                return;
            }

            if (found.Cluster.IssuerUrl == null)
            {
                WriteWarning("Cluster '" + ClusterName + "' reports no OIDC issuer, so no agent can be federated to it. Enable-AksWorkloadIdentity -ResourceGroupName "
                    + ResourceGroupName + " -ClusterName " + ClusterName + " turns it on.");
                return;
            }

            WildcardPattern? pattern = AgentName == null ? null : new WildcardPattern(AgentName, WildcardOptions.IgnoreCase);
            foreach (FoundAgent agent in found.Agents)
            {
                if (pattern != null && !pattern.IsMatch(agent.ServiceAccountName)) continue;
                WriteObject(OutputMapper.ToConfiguration(agent, found.Cluster));
            }
        }
    }
}
