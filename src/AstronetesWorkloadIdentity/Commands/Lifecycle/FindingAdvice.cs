using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// The cmdlets' words for the engine's findings: the check rows of Test-AgentWorkloadIdentity and the errors and advice
    /// of the others. Advice names this module's commands (never the Azure CLI) with the user's own target parameters.
    /// </summary>
    internal static class FindingAdvice
    {
        /// <summary>The check rows for a plan observed with discovery documents, in the order a reader follows the chain.</summary>
        public static IEnumerable<AgentWorkloadIdentityCheck> Checks(AgentPlan plan, string target)
        {
            var spec = plan.Spec;
            var federation = spec.Federations[0];
            AgentWorkloadIdentityCheck Row(string check, CheckResult result, PlanItem item, string? fix)
                => new AgentWorkloadIdentityCheck(check, result, item.Detail, result == CheckResult.Pass ? null : fix, item.Finding.ToString(),
                    federation.Cluster.Name, federation.Namespace, federation.ServiceAccountName, spec.IdentityName, item.ResourceId);

            string repair = "Repair-AgentWorkloadIdentity " + target;
            foreach (var cluster in plan.Items.Where(i => i.Kind == PlanItemKind.Cluster))
                yield return Row("ClusterReady", cluster.Finding == FindingCode.Ok ? CheckResult.Pass : CheckResult.Fail, cluster, ClusterFix(cluster));

            var identity = plan.Items.Single(i => i.Kind == PlanItemKind.Identity);
            yield return Row("IdentityExists", Verdict(identity), identity, repair + " creates it.");

            var role = plan.Items.Single(i => i.Kind == PlanItemKind.RoleAssignment);
            yield return Row("RoleAssignment", Verdict(role), role, repair + " assigns role '" + spec.RoleDefinitionName + "' at scope '" + spec.Scope + "'.");

            var credential = plan.Items.Single(i => i.Kind == PlanItemKind.FederatedCredential);
            bool missing = credential.Finding == FindingCode.CredentialMissing;
            yield return Row("CredentialPresent", missing ? CheckResult.Fail : CheckResult.Pass, credential,
                repair + " creates credential '" + federation.CredentialName + "'.");
            if (!missing)
            {
                string fix = credential.Action == PlanAction.Update
                    ? repair + " rewrites credential '" + ArmLast(credential.ResourceId) + "' with the cluster's issuer, subject '" + federation.Subject + "' and audience '" + federation.Audience + "'."
                    : "Credential '" + ArmLast(credential.ResourceId) + "' is not under this agent's own name ('" + federation.CredentialName + "') and may serve someone else: "
                      + "if nothing else uses it, delete it, then run " + repair + ".";
                yield return Row("CredentialIssuer", credential.Has(FindingCode.CredentialIssuerMismatch) ? CheckResult.Fail : CheckResult.Pass, credential, fix);
                yield return Row("CredentialSubject", credential.Has(FindingCode.CredentialSubjectMismatch) ? CheckResult.Fail : CheckResult.Pass, credential, fix);
                yield return Row("CredentialAudience", credential.Has(FindingCode.CredentialAudienceMismatch) ? CheckResult.Fail : CheckResult.Pass, credential, fix);
            }

            foreach (var discovery in plan.Items.Where(i => i.Kind == PlanItemKind.DiscoveryDocument && i.Finding != FindingCode.NotChecked))
            {
                string fix = discovery.Finding == FindingCode.DiscoveryDocumentUnavailable
                    ? "Entra ID reads this document to validate the agent's tokens: make sure the cluster's OIDC issuer is enabled and published (Test-AksWorkloadIdentity -ResourceGroupName "
                      + spec.Federations[0].Cluster.ResourceGroupName + " -ClusterName " + spec.Federations[0].Cluster.Name + "), then check again."
                    : credential.Has(FindingCode.CredentialIssuerMismatch) ? repair + " rewrites the credential with the cluster's issuer."
                    : "The cluster's issuer publishes another name than ARM reports; wait for a running cluster update to finish and check again.";
                yield return Row("DiscoveryIssuer", Verdict(discovery), discovery, fix);
            }

            var capacity = plan.Items.Single(i => i.Kind == PlanItemKind.CredentialCapacity);
            yield return Row("CredentialCount",
                capacity.Finding == FindingCode.Ok ? CheckResult.Pass : capacity.Finding == FindingCode.CredentialLimitFull ? CheckResult.Warn : CheckResult.Fail,
                capacity,
                "Entra ID allows " + AgentDefaults.MaxFederatedCredentialsPerIdentity + " federated credentials per identity: remove unused ones (Remove-AgentWorkloadIdentity -KeepIdentity for an agent that is gone), or use another -IdentityName for more agents or clusters.");
        }

        private static CheckResult Verdict(PlanItem item) => item.Finding == FindingCode.Ok ? CheckResult.Pass : CheckResult.Fail;

        private static string ClusterFix(PlanItem cluster) => ClusterFix(cluster.Cluster!, cluster.Findings) ?? string.Empty;

        /// <summary>What makes a cluster ready: Enable-AksWorkloadIdentity, or waiting for an update that is still running.</summary>
        public static string? ClusterFix(ClusterRef c, IReadOnlyList<FindingCode> findings)
        {
            if (findings.Count == 0 || findings.All(f => f == FindingCode.Ok)) return null;
            if (findings.Contains(FindingCode.ClusterIssuerPending) && !findings.Contains(FindingCode.ClusterWorkloadIdentityDisabled))
                return "Wait until the cluster's update has finished, then check again.";
            return "Enable-AksWorkloadIdentity -ResourceGroupName " + c.ResourceGroupName + " -ClusterName " + c.Name + " turns on the OIDC issuer and workload identity.";
        }

        /// <summary>An error for a plan item the plan could not do (Blocked).</summary>
        public static ErrorRecord Blocked(PlanItem item, string target)
        {
            string repair = "Repair-AgentWorkloadIdentity " + target;
            switch (item.Kind)
            {
                case PlanItemKind.Cluster:
                    return ErrorRecordFactory.Problem("ClusterNotReady", ErrorCategory.NotEnabled, item.Detail, item.ResourceId, ClusterFix(item));
                case PlanItemKind.FederatedCredential when item.Finding == FindingCode.CredentialMissing:
                    return ErrorRecordFactory.Problem("FederatedCredentialSkippedClusterNotReady", ErrorCategory.NotEnabled,
                        "The credential was not created: " + item.Detail + " The cluster is not ready (see ClusterNotReady).", item.ResourceId);
                case PlanItemKind.FederatedCredential:
                    return ErrorRecordFactory.Problem("FederatedCredentialConflict", ErrorCategory.ResourceExists, item.Detail + " It was left as it is.", item.ResourceId,
                        "Test-AgentWorkloadIdentity " + target + " shows every check; " + repair + " rewrites a credential under the agent's own name.");
                case PlanItemKind.CredentialCapacity:
                    return ErrorRecordFactory.Problem("FederatedCredentialLimitReached", ErrorCategory.LimitsExceeded, item.Detail, item.ResourceId,
                        "Remove credentials that are no longer used, or pass another -IdentityName.");
                case PlanItemKind.Identity:
                    return ErrorRecordFactory.Problem("IdentitySkippedClusterNotReady", ErrorCategory.NotEnabled, item.Detail + " No cluster is ready for it (see ClusterNotReady).", item.ResourceId);
                default:
                    return ErrorRecordFactory.Problem(item.Kind + "Blocked", ErrorCategory.InvalidOperation, item.Detail, item.ResourceId);
            }
        }

        /// <summary>An error for a write that failed.</summary>
        public static ErrorRecord Failed(ItemOutcome outcome, string alreadyDone)
        {
            string noun = outcome.Item.Kind.ToString();
            string doing = (outcome.Item.Action == PlanAction.Delete ? "Deleting " : outcome.Item.Action == PlanAction.Update ? "Updating " : "Creating ") + Words(outcome.Item.Kind) + " '" + outcome.ResourceId + "'";
            switch (outcome.Error)
            {
                case ArmException arm:
                    return ErrorRecordFactory.FromArm(arm, noun, doing, outcome.ResourceId, alreadyDone);
                case SetupPreconditionException precondition:
                    return ErrorRecordFactory.FromPrecondition(precondition, outcome.ResourceId, alreadyDone);
                case InputValidationException validation:
                    return ErrorRecordFactory.FromValidation(validation);
                default:
                    return ErrorRecordFactory.FromUnexpected(outcome.Error ?? new System.InvalidOperationException("unknown failure"), noun, doing, outcome.ResourceId, alreadyDone);
            }
        }

        /// <summary>"Kept: identity X (Created)." for error messages, so a failure in the middle says what exists.</summary>
        public static string AlreadyDone(ApplyResult result)
        {
            var done = result.Outcomes.Where(o => o.Action == SetupAction.Created || o.Action == SetupAction.Updated || o.Action == SetupAction.Deleted)
                .Select(o => Words(o.Item.Kind) + " " + o.Action.ToString().ToLowerInvariant() + " (" + o.ResourceId + ")").ToList();
            return done.Count == 0 ? "" : "Done before the failure: " + string.Join("; ", done) + ".";
        }

        public static string Words(PlanItemKind kind) => kind switch
        {
            PlanItemKind.Identity => "managed identity",
            PlanItemKind.RoleAssignment => "role assignment",
            PlanItemKind.FederatedCredential => "federated credential",
            PlanItemKind.Cluster => "cluster",
            _ => kind.ToString(),
        };

        private static string ArmLast(string id) => OutputMapper.LastSegment(id) ?? id;
    }
}
