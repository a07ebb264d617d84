using System.Linq;
using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Removes an agent's federated credential, then the identity's role assignment, then the identity, each after
    /// ShouldProcess; what is already gone is skipped, so it can run again. The identity and its role stay with
    /// -KeepIdentity, or when other agents' credentials are still on it (and the command says so).
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "AgentWorkloadIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AgentWorkloadIdentityRemoval))]
    public sealed class RemoveAgentWorkloadIdentityCommand : AgentTargetCmdletBase
    {
        /// <summary>Remove only this agent's credential; keep the identity and its role assignment for other agents.</summary>
        [Parameter]
        public SwitchParameter KeepIdentity { get; set; }

        protected override void ProcessRecord()
        {
            AgentSpec? spec = TryBuildSpec();
            if (spec == null)
            {
                return;
            }

            AgentLifecycle lifecycle = CreateLifecycle(readDiscovery: false);
            WriteApproval approve = CreateApproval();
            var step = new StepDescription("AgentWorkloadIdentity", "Removing agent '" + AgentLabel + "'", spec.IdentityId);
            ApplyResult? result = TryStep(step, async ct =>
            {
                AgentPlan plan = await lifecycle.PlanAsync(spec, PlanMode.Remove, KeepIdentity, ct).ConfigureAwait(false);
                return await lifecycle.ApplyAsync(plan, approve, null, ct).ConfigureAwait(false);
            });
            if (result == null)
            {
                return;
            }

            foreach (ItemOutcome failed in result.Failures)
            {
                WriteError(FindingAdvice.Failed(failed, FindingAdvice.AlreadyDone(result)));
            }

            PlanItem identity = result.OutcomeOf(PlanItemKind.Identity).Item;
            string? kept = null;
            if (identity.Has(FindingCode.IdentityShared))
            {
                kept = identity.Detail;
                WriteWarning("Only the credential of agent '" + AgentName + "' was removed. " + identity.Detail + " Remove the other agents first, or pass -KeepIdentity to say this is intended.");
            }
            else if (KeepIdentity && result.Plan.Observation.Identity != null)
            {
                kept = "-KeepIdentity";
                WriteVerbose("Identity '" + spec.IdentityName + "' and its role assignment were kept (-KeepIdentity); only the agent's credential was removed.");
            }

            AgentFederation federation = spec.Federations[0];
            WriteObject(new AgentWorkloadIdentityRemoval(
                federation.Cluster.Name, federation.Namespace, federation.ServiceAccountName, spec.IdentityName, result.Plan.Observation.Identity?.Id ?? spec.IdentityId,
                result.OutcomeOf(PlanItemKind.FederatedCredential).Action.ToString(),
                result.OutcomeOf(PlanItemKind.RoleAssignment).Action.ToString(),
                result.OutcomeOf(PlanItemKind.Identity).Action.ToString(),
                kept));
        }
    }
}
