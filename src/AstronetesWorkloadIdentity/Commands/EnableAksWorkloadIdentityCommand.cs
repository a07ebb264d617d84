using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AstronetesWorkloadIdentity.Completion;
using AstronetesWorkloadIdentity.Diagnostics;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;
using AstronetesWorkloadIdentity.Jobs;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Turns on an AKS cluster's OIDC issuer and workload identity (as az aks update --enable-oidc-issuer
    /// --enable-workload-identity does) and outputs the cluster's fresh status, so the setup cmdlets can follow it.
    /// The update is a long-running operation: it is polled to the end with progress, left running with -NoWait,
    /// or followed by a PowerShell job with -AsJob. A cluster busy with another operation is waited for.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Enable, "AksWorkloadIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = WaitSet)]
    [OutputType(typeof(AksWorkloadIdentityStatus), ParameterSetName = new[] { WaitSet, NoWaitSet })]
    [OutputType(typeof(Job), ParameterSetName = new[] { AsJobSet })]
    public sealed class EnableAksWorkloadIdentityCommand : AgentCmdletBase
    {
        private const string WaitSet = "Wait";
        private const string NoWaitSet = "NoWait";
        private const string AsJobSet = "AsJob";
        private const string JobTypeName = "AksWorkloadIdentityJob";

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
        public string? SubscriptionId { get; set; }

        /// <summary>Returns once ARM has accepted the update, without waiting for it to finish.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NoWaitSet)]
        public SwitchParameter NoWait { get; set; }

        /// <summary>Returns a job at once; the job's output is the cluster's status when the update has finished.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AsJobSet)]
        public SwitchParameter AsJob { get; set; }

        protected override void ProcessRecord()
        {
            ClusterRef? cluster = TryResolveCluster(ResourceGroupName, ClusterName, SubscriptionId);
            if (cluster == null)
            {
                return;
            }

            string subscriptionId = cluster.SubscriptionId;
            string clusterId = cluster.Id;
            if (AsJob)
            {
                StartJob(subscriptionId, clusterId);
                return;
            }

            ArmRestClient client = CreateClient();
            var enabler = new WorkloadIdentityEnabler(client);
            var workflow = new AgentSteps(client);
            string clusterName = ClusterName;
            var progress = new CallbackProgress<ClusterUpdateProgress>(p => PostToPipelineThread(() => WriteProgress(ClusterUpdateProgressRecords.For(clusterName, p))));
            WriteApproval askUser = CreateApproval();
            WriteApproval approve = (id, action) =>
            {
                // Before the question, so it is read when deciding.
                PostToPipelineThread(() => WriteWarning(IrreversibleWarning(clusterName)));
                return askUser(id, action);
            };

            string resourceGroupName = ResourceGroupName;
            bool noWait = NoWait;
            ClusterReadiness? readiness;
            try
            {
                readiness = TryStep(Step(clusterId), async ct =>
                {
                    ClusterUpdate update = await enabler.StartAsync(subscriptionId, resourceGroupName, clusterName, approve, progress, ct).ConfigureAwait(false);
                    if (update.WasDeclined || !update.Started && update.HasCompleted)
                    {
                        return await update.WaitForCompletionAsync(null, ct).ConfigureAwait(false);
                    }

                    if (noWait)
                    {
                        string operation = update.OperationId ?? clusterId;
                        PostToPipelineThread(() => WriteVerbose("The update of cluster '" + clusterName + "' runs on (not waited for): " + operation));
                        return await workflow.CheckClusterAsync(subscriptionId, resourceGroupName, clusterName, ct).ConfigureAwait(false);
                    }

                    return await update.WaitForCompletionAsync(progress, ct).ConfigureAwait(false);
                });
            }
            finally
            {
                // Also after a failure or Ctrl+C: a bar left open would hang over the prompt.
                WriteProgress(ClusterUpdateProgressRecords.Completed(ClusterName));
            }

            if (readiness != null)
            {
                if (noWait && readiness.IsUpdating)
                {
                    // The profiles read as enabled at once, so IsReady can be true: the Azure side can be set up now, but pods
                    // get the webhook's token only once the update ends.
                    WriteWarning("The update of cluster '" + clusterName + "' still runs (provisioning state " + readiness.Cluster.ProvisioningState
                        + "): the agent's Azure side can be set up now, but its pods get workload identity tokens only when the update has ended."
                        + " Test-AksWorkloadIdentity -ResourceGroupName " + resourceGroupName + " -ClusterName " + clusterName + " shows ProvisioningState Succeeded then.");
                }

                WriteObject(OutputMapper.ToStatus(readiness));
            }
        }

        private void StartJob(string subscriptionId, string clusterId)
        {
            // Asked here, on the pipeline thread: a job cannot prompt. The job then writes without asking again.
            WriteWarning(IrreversibleWarning(ClusterName));
            if (!ShouldProcess(clusterId, WorkloadIdentityEnabler.EnableAction))
            {
                return;
            }

            var job = new EngineJob(MyInvocation.Line, "Enable-AksWorkloadIdentity " + ClusterName, JobTypeName);
            ArmRestClient client = GetSession().Connection.CreateClient(new VerboseArmCallObserver(line => job.Verbose.Add(new VerboseRecord(line))));
            var enabler = new WorkloadIdentityEnabler(client);
            string resourceGroupName = ResourceGroupName;
            string clusterName = ClusterName;
            StepDescription step = Step(clusterId);
            job.Start(
                async ct =>
                {
                    var progress = new CallbackProgress<ClusterUpdateProgress>(p => job.Progress.Add(ClusterUpdateProgressRecords.For(clusterName, p)));
                    try
                    {
                        ClusterUpdate update = await enabler.StartAsync(subscriptionId, resourceGroupName, clusterName, (_, _) => true, progress, ct).ConfigureAwait(false);
                        ClusterReadiness readiness = await update.WaitForCompletionAsync(progress, ct).ConfigureAwait(false);
                        job.Output.Add(PSObject.AsPSObject(OutputMapper.ToStatus(readiness)));
                    }
                    finally
                    {
                        job.Progress.Add(ClusterUpdateProgressRecords.Completed(clusterName));
                    }
                },
                e => ToErrorRecord(e, step));
            JobRepository.Add(job);
            WriteObject(job);
        }

        private StepDescription Step(string clusterId) => new StepDescription("Cluster", "Enabling workload identity on cluster '" + ClusterName + "'", clusterId)
        {
            RecommendedActionFor = e => e.ErrorCode == WorkloadIdentityEnabler.BusyErrorCode
                ? "Another operation on the cluster is still running; run the command again when it has finished (Test-AksWorkloadIdentity -ResourceGroupName "
                  + ResourceGroupName + " -ClusterName " + ClusterName + " shows its ProvisioningState)."
                : e.OperationStatus != null
                    ? "AKS accepted the update and then it ended " + e.OperationStatus + " inside the cluster: the cluster's activity log in the Azure portal has the"
                      + " details. Once the cause is fixed, run Enable-AksWorkloadIdentity again (it sends the same update); Test-AksWorkloadIdentity -ResourceGroupName "
                      + ResourceGroupName + " -ClusterName " + ClusterName + " shows the cluster's ProvisioningState meanwhile."
                    : null,
        };

        private static ErrorRecord ToErrorRecord(Exception e, StepDescription step)
        {
            switch (e)
            {
                case ArmException arm:
                    return ErrorRecordFactory.FromArm(arm, step.Noun, step.Doing, step.TargetId, null, step.RecommendedActionFor?.Invoke(arm));
                case InputValidationException validation:
                    return ErrorRecordFactory.FromValidation(validation);
                default:
                    return ErrorRecordFactory.FromUnexpected(e, step.Noun, step.Doing, step.TargetId);
            }
        }

        private static string IrreversibleWarning(string clusterName)
            => "Enabling the OIDC issuer of cluster '" + clusterName + "' cannot be undone: AKS has no way to turn an issuer off again."
               + " The update restarts the cluster's API server and takes several minutes.";
    }
}
