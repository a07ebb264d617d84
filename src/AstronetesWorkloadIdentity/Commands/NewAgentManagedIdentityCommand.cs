using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AstronetesWorkloadIdentity.Completion;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Creates the agent's user-assigned managed identity, or returns the one that already exists without writing.
    /// Piped a cluster status, it defaults the subscription, resource group and location to the cluster's and
    /// carries the cluster along for the federated credential.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AgentManagedIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AgentManagedIdentity))]
    public sealed class NewAgentManagedIdentityCommand : AgentCmdletBase
    {
        /// <summary>The identity's name, e.g. astronetes-azure-agent.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        /// <summary>The cluster the identity is for, from Test-AksWorkloadIdentity.</summary>
        [Parameter(ValueFromPipeline = true)]
        public AksWorkloadIdentityStatus? Cluster { get; set; }

        /// <summary>Defaults to the cluster's resource group; required without a cluster.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
        public string? ResourceGroupName { get; set; }

        /// <summary>Defaults to the cluster's location, else the resource group's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(AzureRegionCompleter))]
        public string? Location { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Hashtable? Tag { get; set; }

        /// <summary>An identity that exists with other tags gets the -Tag values (its other tags kept); without it, it is only reported.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Defaults to the cluster's subscription, else the connection's default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionIdCompleter))]
        public string? SubscriptionId { get; set; }

        private Dictionary<string, string>? _tags;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _tags = OutputMapper.ToTags(Tag);
            ValidateOrStop(() => InputValidator.IdentityName(Name, "Name"), "IdentityName");
            if (ResourceGroupName != null) ValidateOrStop(() => InputValidator.ResourceGroupName(ResourceGroupName), "ResourceGroupName");
            if (Location != null) ValidateOrStop(() => InputValidator.KnownLocation(Location), "Location");
            if (SubscriptionId != null) ValidateOrStop(() => InputValidator.SubscriptionId(SubscriptionId), "SubscriptionId");
            ValidateOrStop(() => InputValidator.Tags(_tags), "Tag");
        }

        protected override void ProcessRecord()
        {
            AksWorkloadIdentityStatus? cluster = Cluster;
            if (cluster != null && !cluster.IsReady)
            {
                // Test-AksWorkloadIdentity already wrote ClusterNotReady with the fix; this only says what was skipped.
                WriteError(ErrorRecordFactory.Problem(
                    "IdentitySkippedClusterNotReady",
                    ErrorCategory.NotEnabled,
                    "Identity '" + Name + "' was not created: cluster '" + cluster.ClusterName + "' is not ready (see ClusterNotReady).",
                    cluster.ClusterId));
                return;
            }

            Dictionary<string, string>? tags = _tags;
            string? resourceGroupName = ResourceGroupName ?? cluster?.ResourceGroupName;
            if (resourceGroupName == null)
            {
                WriteError(ErrorRecordFactory.Problem(
                    "ResourceGroupNameMissing", ErrorCategory.InvalidArgument,
                    "Identity '" + Name + "' needs a resource group, and none was given or piped in.",
                    Name,
                    "Pass -ResourceGroupName, or pipe the cluster status from Test-AksWorkloadIdentity."));
                return;
            }

            string? subscriptionId = SubscriptionId ?? cluster?.SubscriptionId ?? ResolveSubscriptionId(null);
            if (subscriptionId == null)
            {
                WriteError(SubscriptionMissing(Name));
                return;
            }

            string identityId = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroupName + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + Name;
            // A typed -Location is checked against the known regions (typos fail before any call); the cluster's is ARM's own.
            string? location = Location != null ? InputValidator.NormalizeLocation(Location) : cluster?.Location;
            ArmRestClient client = CreateClient();
            var workflow = new AgentSetupWorkflow(client);
            WriteApproval approve = CreateApproval();
            string byDefault = cluster == null ? "" : " (by default the cluster's)";
            var step = new StepDescription("Identity", "Creating managed identity '" + Name + "'", identityId)
            {
                // Under -WhatIf nothing is being created: a failure (a missing resource group, say) is what the real run would meet.
                Outcome = IsWhatIf ? "would fail (-WhatIf: nothing was written)" : "failed",
                ResourceGroupFrom = "-ResourceGroupName and -SubscriptionId" + byDefault,
                SubscriptionFrom = "-SubscriptionId" + byDefault,
            };
            IdentityOutcome? outcome = TryStep(step, ct => EnsureAsync(client, workflow, subscriptionId, resourceGroupName, location, tags, approve, ct));
            if (outcome == null)
            {
                return;
            }

            // Not read from ARM when skipped: the tenant is still the connection's.
            string? tenantId = outcome.Step.Resource == null ? ConnectionTenantId() : null;
            AgentManagedIdentity identity = OutputMapper.ToIdentity(outcome.Step, Name, subscriptionId, resourceGroupName, outcome.Location, cluster, tenantId);
            // Even an identity that exists: under -WhatIf the steps it flows into preview instead of writing.
            identity.IsPreview = IsWhatIf;
            WriteVerbose("Managed identity '" + identity.ResourceId + "': " + identity.Action + (identity.ClientId == null ? "." : " (client ID " + identity.ClientId + ")."));
            WriteObject(identity);
        }

        private async Task<IdentityOutcome> EnsureAsync(ArmRestClient client, AgentSetupWorkflow workflow, string subscriptionId, string resourceGroupName, string? location, IReadOnlyDictionary<string, string>? tags, WriteApproval approve, CancellationToken ct)
        {
            if (location == null)
            {
                // Like the Azure CLI: an identity without a cluster lives where its resource group does.
                ResourceGroup group = await client.GetResourceGroupAsync(subscriptionId, resourceGroupName, ct).ConfigureAwait(false);
                location = group.Location;
            }

            StepResult<UserAssignedIdentity> step = await workflow.EnsureIdentityAsync(subscriptionId, resourceGroupName, Name, location, tags, approve, ct).ConfigureAwait(false);
            if (step.Action == SetupAction.Existing && step.Resource != null && tags != null)
            {
                IReadOnlyList<string> differences = AgentSetupWorkflow.TagDifferences(step.Resource, tags);
                if (differences.Count > 0 && Force.IsPresent)
                {
                    step = await workflow.SetIdentityTagsAsync(step.Resource, tags, approve, ct).ConfigureAwait(false);
                }
                else if (differences.Count > 0)
                {
                    string warning = "Managed identity '" + step.Resource.Name + "' already exists with other tags (" + string.Join("; ", differences)
                        + "). It is used as it is; pass -Force to set the -Tag values on it (its other tags are kept).";
                    PostToPipeline(() => WriteWarning(warning));
                }
            }
            return new IdentityOutcome(step, location);
        }

        private sealed class IdentityOutcome
        {
            public IdentityOutcome(StepResult<UserAssignedIdentity> step, string location)
            {
                Step = step;
                Location = location;
            }

            public StepResult<UserAssignedIdentity> Step { get; }
            public string Location { get; }
        }
    }
}
