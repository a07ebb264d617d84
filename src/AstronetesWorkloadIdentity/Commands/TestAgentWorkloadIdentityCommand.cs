using System;
using System.Collections.Generic;
using System.Management.Automation;
using AstronetesWorkloadIdentity.Diagnostics;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Engine.Exchange;
using AstronetesWorkloadIdentity.Errors;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Audits one agent's workload identity, one result object per check (Check, Result, Detail, Fix): the cluster, the
    /// identity, its role, its credential against the cluster's issuer and discovery document, and the credential count.
    /// With -Exchange it also performs the agent's own token exchange end to end (ExchangeCheck). Writes nothing to Azure;
    /// -CreateServiceAccount may create the agent's service account in the cluster, behind ShouldProcess.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AgentWorkloadIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(AgentWorkloadIdentityCheck))]
    public sealed class TestAgentWorkloadIdentityCommand : AgentTargetCmdletBase
    {
        private const string ExchangeActivity = "Proving the agent's token exchange";

        /// <summary>Performs the exchange the agent will perform, as the agent, and names the broken link.</summary>
        [Parameter]
        public SwitchParameter Exchange { get; set; }

        /// <summary>Cluster credentials from listClusterAdminCredential instead of listClusterUserCredential.</summary>
        [Parameter]
        public SwitchParameter Admin { get; set; }

        /// <summary>Creates a missing service account with the client-id annotation.</summary>
        [Parameter]
        public SwitchParameter CreateServiceAccount { get; set; }

        /// <summary>How long a fresh credential or role assignment may take to become effective.</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int PropagationTimeoutSec { get; set; } = 120;

        protected override void ProcessRecord()
        {
            if ((Admin.IsPresent || CreateServiceAccount.IsPresent || MyInvocation.BoundParameters.ContainsKey(nameof(PropagationTimeoutSec))) && !Exchange.IsPresent)
            {
                ThrowTerminatingError(ErrorRecordFactory.Problem("ExchangeParameterWithoutExchange", ErrorCategory.InvalidArgument,
                    "-Admin, -CreateServiceAccount and -PropagationTimeoutSec apply to the token exchange check.", AgentLabel, "Add -Exchange."));
            }

            AgentSpec? spec = TryBuildSpec();
            if (spec == null)
            {
                return;
            }

            AgentLifecycle lifecycle = CreateLifecycle(readDiscovery: true);
            var step = new StepDescription("AgentWorkloadIdentity", "Checking agent '" + AgentLabel + "'", spec.Federations[0].Cluster.Id);
            // Planned as a repair, so each check knows whether Repair- can fix it.
            AgentPlan? plan = TryStep(step, ct => lifecycle.PlanAsync(spec, PlanMode.Repair, false, ct));
            if (plan == null)
            {
                return;
            }

            foreach (AgentWorkloadIdentityCheck check in Checks(plan))
            {
                WriteObject(check);
            }

            if (Exchange.IsPresent)
            {
                foreach (AgentWorkloadIdentityCheck check in ExchangeChecks(plan))
                {
                    WriteObject(check);
                }
            }
        }

        /// <summary>The checks for a plan; the one list later checks (such as a token exchange) are added to.</summary>
        internal IEnumerable<AgentWorkloadIdentityCheck> Checks(AgentPlan plan) => FindingAdvice.Checks(plan, Target());

        private IEnumerable<AgentWorkloadIdentityCheck> ExchangeChecks(AgentPlan plan)
        {
            var cluster = plan.Spec.Federations[0].Cluster;
            var identity = plan.Observation.Identity;
            if (identity == null)
            {
                // Without the identity there is no client ID to exchange for: the audit above already says so.
                return new[] { Map(new ExchangeCheckResult(Engine.Exchange.ExchangeChecks.TokenExchange, CheckOutcome.Fail,
                    "Not attempted: the identity '" + IdentityName + "' does not exist.", "New-AgentWorkloadIdentity " + Target())) };
            }

            var exchange = new ExchangeCheckSpec
            {
                SubscriptionId = cluster.SubscriptionId,
                ResourceGroupName = cluster.ResourceGroupName,
                ClusterName = cluster.Name,
                Namespace = Namespace,
                ServiceAccountName = AgentName,
                TenantId = identity.TenantId,
                IdentityClientId = identity.ClientId,
                Scope = plan.Spec.Scope,
                Admin = Admin.IsPresent,
                CreateServiceAccount = CreateServiceAccount.IsPresent,
                PropagationBound = TimeSpan.FromSeconds(PropagationTimeoutSec),
            };
            var observer = new VerboseArmCallObserver(line => PostToPipeline(() => WriteVerbose(line)));
            var check = new ExchangeCheck(GetSession().Connection, observer);
            var progress = new PipelineProgress(this);
            var step = new StepDescription("AgentTokenExchange", "Proving the token exchange of agent '" + AgentLabel + "'", cluster.Id);
            IReadOnlyList<ExchangeCheckResult>? results = TryStep(step, ct => check.RunAsync(exchange, CreateApproval(), progress, ct));
            WriteProgress(new ProgressRecord(2, ExchangeActivity, "Done") { RecordType = ProgressRecordType.Completed });
            var mapped = new List<AgentWorkloadIdentityCheck>();
            foreach (ExchangeCheckResult r in results ?? Array.Empty<ExchangeCheckResult>())
            {
                mapped.Add(Map(r));
            }

            return mapped;
        }

        private AgentWorkloadIdentityCheck Map(ExchangeCheckResult r) => new AgentWorkloadIdentityCheck(
            r.Check,
            r.Result == CheckOutcome.Pass ? CheckResult.Pass : r.Result == CheckOutcome.Warn ? CheckResult.Warn : CheckResult.Fail,
            r.Detail,
            r.Fix,
            r.Result == CheckOutcome.Pass ? "Ok" : r.Check + r.Result,
            ClusterName,
            Namespace,
            AgentName,
            IdentityName,
            null);

        /// <summary>The target parameters as the user would retype them in the advice.</summary>
        internal string Target()
        {
            string text = "-ResourceGroupName " + ResourceGroupName + " -ClusterName " + ClusterName + " -AgentName " + AgentName;
            if (IdentityName != AgentDefaults.IdentityName) text += " -IdentityName " + IdentityName;
            if (Namespace != AgentDefaults.Namespace) text += " -Namespace " + Namespace;
            if (IdentityResourceGroupName != null) text += " -IdentityResourceGroupName " + IdentityResourceGroupName;
            return text;
        }

        /// <summary>The engine's waits as Write-Progress, written on the pipeline thread.</summary>
        private sealed class PipelineProgress : IProgress<ExchangeProgress>
        {
            private readonly TestAgentWorkloadIdentityCommand _cmdlet;

            public PipelineProgress(TestAgentWorkloadIdentityCommand cmdlet) => _cmdlet = cmdlet;

            public void Report(ExchangeProgress value)
            {
                var record = new ProgressRecord(2, ExchangeActivity, value.Check + ": " + value.Status) { PercentComplete = value.PercentComplete };
                _cmdlet.PostToPipeline(() => _cmdlet.WriteProgress(record));
            }
        }
    }
}
