using System.Collections.Generic;
using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Audits one agent's workload identity, one result object per check (Check, Result, Detail, Fix): the cluster, the
    /// identity, its role, its credential against the cluster's issuer and discovery document, and the credential count.
    /// Writes nothing to Azure.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "AgentWorkloadIdentity")]
    [OutputType(typeof(AgentWorkloadIdentityCheck))]
    public sealed class TestAgentWorkloadIdentityCommand : AgentTargetCmdletBase
    {
        protected override void ProcessRecord()
        {
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
        }

        /// <summary>The checks for a plan; the one list later checks (such as a token exchange) are added to.</summary>
        internal IEnumerable<AgentWorkloadIdentityCheck> Checks(AgentPlan plan) => FindingAdvice.Checks(plan, Target());

        /// <summary>The target parameters as the user would retype them in the advice.</summary>
        internal string Target()
        {
            string text = "-ResourceGroupName " + ResourceGroupName + " -ClusterName " + ClusterName + " -AgentName " + AgentName;
            if (IdentityName != AgentDefaults.IdentityName) text += " -IdentityName " + IdentityName;
            if (Namespace != AgentDefaults.Namespace) text += " -Namespace " + Namespace;
            if (IdentityResourceGroupName != null) text += " -IdentityResourceGroupName " + IdentityResourceGroupName;
            return text;
        }
    }
}
