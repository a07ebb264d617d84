using System;
using System.Management.Automation;
using AstronetesWorkloadIdentity.Completion;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// The parameters that name one agent's workload identity, shared by New-, Test-, Repair- and Remove-AgentWorkloadIdentity,
    /// bound by property name so a CSV row or an AgentConfiguration (from New- or Get-) pipes straight in.
    /// </summary>
    public abstract class AgentTargetCmdletBase : AgentCmdletBase
    {
        /// <summary>The cluster's resource group.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
        public string ResourceGroupName { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterNameCompleter))]
        public string ClusterName { get; set; } = string.Empty;

        /// <summary>The agent's Kubernetes service account name.</summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceAccountName")]
        [ValidateNotNullOrEmpty]
        public string AgentName { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string IdentityName { get; set; } = AgentDefaults.IdentityName;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Namespace { get; set; } = AgentDefaults.Namespace;

        /// <summary>Defaults to the cluster's resource group.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
        public string? IdentityResourceGroupName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? RoleDefinitionName { get; set; } = AgentDefaults.RoleDefinitionName;

        /// <summary>Defaults to the subscription.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Scope { get; set; }

        /// <summary>Defaults to the connection's subscription.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? SubscriptionId { get; set; }

        /// <summary>The spec for the bound parameters, or null after writing the error (before any ARM call).</summary>
        internal AgentSpec? TryBuildSpec(string? location = null)
        {
            ClusterRef? cluster = TryResolveCluster(ResourceGroupName, ClusterName, SubscriptionId);
            if (cluster == null)
            {
                return null;
            }

            // Piped objects may carry these as null or empty (Get-AgentWorkloadIdentity reads no role): that means the default.
            string subscriptionId = cluster.SubscriptionId;
            string? scope = string.IsNullOrEmpty(Scope) ? null : Scope;
            string role = string.IsNullOrEmpty(RoleDefinitionName) ? AgentDefaults.RoleDefinitionName : RoleDefinitionName!;
            string identityGroup = string.IsNullOrEmpty(IdentityResourceGroupName) ? ResourceGroupName : IdentityResourceGroupName!;
            AgentSpec? spec = null;
            try
            {
                var federation = new AgentFederation(cluster, Namespace, AgentName);
                spec = new AgentSpec(subscriptionId, identityGroup, IdentityName, OutputMapper.RoleName(role), scope ?? "/subscriptions/" + subscriptionId, new[] { federation }, location);
            }
            catch (InputValidationException e)
            {
                WriteError(ErrorRecordFactory.FromValidation(e));
            }

            return spec;
        }

        /// <summary>Names the agent in messages: "my-agent on aks-prod".</summary>
        internal string AgentLabel => AgentName + " on " + ClusterName;
    }
}
