using System.Management.Automation;
using AstronetesWorkloadIdentity.Completion;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Reads an AKS cluster and says whether it can federate workload identities (OIDC issuer and workload identity
    /// both on), with the issuer URL exactly as ARM reports it. Its output feeds New-AgentManagedIdentity.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AksWorkloadIdentity")]
    [OutputType(typeof(AksWorkloadIdentityStatus))]
    [OutputType(typeof(bool))]
    public sealed class TestAksWorkloadIdentityCommand : AgentCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
        public string ResourceGroupName { get; set; } = string.Empty;

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterNameCompleter))]
        public string ClusterName { get; set; } = string.Empty;

        /// <summary>Defaults to the subscription of Connect-AgentAzure, AZURE_SUBSCRIPTION_ID or the Azure CLI.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SubscriptionIdCompleter))]
        public string? SubscriptionId { get; set; }

        /// <summary>
        /// Returns only $true or $false: no error for a cluster that is not ready or does not exist (nor its resource
        /// group). Input, sign-in, permission and network failures still write their error, and return $false.
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Values given on the command line (pipeline-bound ones are not bound yet) stop the whole line when wrong.</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (!string.IsNullOrEmpty(ResourceGroupName)) ValidateOrStop(() => InputValidator.ResourceGroupName(ResourceGroupName), "ResourceGroupName");
            if (!string.IsNullOrEmpty(ClusterName)) ValidateOrStop(() => InputValidator.ClusterName(ClusterName), "ClusterName");
            if (!string.IsNullOrEmpty(SubscriptionId)) ValidateOrStop(() => InputValidator.SubscriptionId(SubscriptionId!), "SubscriptionId");
        }

        protected override void ProcessRecord()
        {
            // Checked again per record: values bound from the pipeline by property name arrive only now.
            ClusterRef? cluster = TryResolveCluster(ResourceGroupName, ClusterName, SubscriptionId);
            if (cluster == null)
            {
                return;
            }

            string subscriptionId = cluster.SubscriptionId;
            string clusterId = cluster.Id;
            var workflow = new AgentSteps(CreateClient());
            var step = new StepDescription("Cluster", "Reading cluster '" + ClusterName + "'", clusterId)
            {
                RecommendedActionFor = e => IsMissing(e) && e.ErrorCode != "ResourceGroupNotFound"
                    ? "Check -ResourceGroupName, -ClusterName and -SubscriptionId (Get-AgentAzureContext shows the default subscription); 'az aks list -o table' lists the clusters you can see."
                    : null,
                // A missing cluster is a definite answer to "is it ready?": under -Quiet, $false and no error.
                IsAnswer = Quiet ? IsMissing : (System.Func<ArmException, bool>?)null,
            };
            ClusterReadiness? readiness = TryStep(step, ct => workflow.CheckClusterAsync(subscriptionId, ResourceGroupName, ClusterName, ct));
            if (readiness == null)
            {
                if (Quiet) WriteObject(false);
                return;
            }

            AksWorkloadIdentityStatus status = OutputMapper.ToStatus(readiness);
            if (Quiet)
            {
                WriteObject(status.IsReady);
                return;
            }

            WriteVerbose("Cluster '" + status.ClusterName + "': OIDC issuer " + OnOff(status.OidcIssuerEnabled) + ", workload identity " + OnOff(status.WorkloadIdentityEnabled)
                + (status.IssuerUrl == null ? "" : ", issuer " + status.IssuerUrl) + ".");
            // The error first: downstream cmdlets report their own skip when they receive the status.
            if (!status.IsReady)
            {
                WriteError(ClusterNotReady(status, "Cluster '" + status.ClusterName + "' is not ready for workload identity: "));
            }

            WriteObject(status);
        }

        internal static ErrorRecord ClusterNotReady(AksWorkloadIdentityStatus status, string lead) => ErrorRecordFactory.Problem(
            "ClusterNotReady",
            ErrorCategory.NotEnabled,
            lead + string.Join(" ", status.Problems),
            status.ClusterId,
            status.RecommendedAction);

        private static bool IsMissing(ArmException e)
            => e.ErrorCode == "ResourceNotFound" || e.ErrorCode == "NotFound" || e.ErrorCode == "ResourceGroupNotFound";

        private static string OnOff(bool on) => on ? "on" : "off";
    }
}
