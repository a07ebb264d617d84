using System.Linq;
using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Fixes what Test-AgentWorkloadIdentity finds and can fix: a missing identity, role assignment or credential, and the
    /// agent's own credential left on an old issuer or with a wrong subject or audience (rewritten in place). Each change
    /// asks ShouldProcess. What it cannot fix (the cluster, a credential under another name) is an error with the fix.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "AgentWorkloadIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AgentConfiguration))]
    public sealed class RepairAgentWorkloadIdentityCommand : AgentTargetCmdletBase
    {
        protected override void ProcessRecord()
        {
            AgentSpec? spec = TryBuildSpec();
            if (spec == null)
            {
                return;
            }

            AgentLifecycle lifecycle = CreateLifecycle(readDiscovery: true);
            WriteApproval approve = CreateApproval();
            var step = new StepDescription("AgentWorkloadIdentity", "Repairing agent '" + AgentLabel + "'", spec.Federations[0].Cluster.Id);
            ApplyResult? result = TryStep(step, async ct =>
            {
                AgentPlan plan = await lifecycle.PlanAsync(spec, PlanMode.Repair, false, ct).ConfigureAwait(false);
                return await lifecycle.ApplyAsync(plan, approve, null, ct).ConfigureAwait(false);
            });
            if (result == null)
            {
                return;
            }

            string target = "-ResourceGroupName " + ResourceGroupName + " -ClusterName " + ClusterName + " -AgentName " + AgentName;
            foreach (ItemOutcome outcome in result.Outcomes)
            {
                if (outcome.Action == SetupAction.Failed) WriteError(FindingAdvice.Failed(outcome, FindingAdvice.AlreadyDone(result)));
                else if (outcome.Item.Action == PlanAction.Blocked) WriteError(FindingAdvice.Blocked(outcome.Item, target));
                else if (outcome.Action == SetupAction.Created || outcome.Action == SetupAction.Updated)
                    WriteVerbose("Repaired " + FindingAdvice.Words(outcome.Item.Kind) + " '" + outcome.ResourceId + "' (" + string.Join(", ", outcome.Item.Findings) + "): " + outcome.Action + ".");
            }

            if (result.Outcomes.Any(o => o.Item.Kind == PlanItemKind.Cluster && o.Action == SetupAction.Blocked))
            {
                return;
            }

            WriteObject(OutputMapper.ToConfiguration(result, spec.Federations[0], ConnectionTenantId()));
        }
    }
}
