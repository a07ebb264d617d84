using System.Collections.Generic;
using System.Linq;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>Copies engine models into the module's own output types, so no engine type reaches the pipeline.</summary>
    internal static class OutputMapper
    {
        public static AksWorkloadIdentityStatus ToStatus(ClusterReadiness readiness)
        {
            ManagedCluster cluster = readiness.Cluster;
            return new AksWorkloadIdentityStatus(
                cluster.SubscriptionId,
                cluster.ResourceGroupName,
                cluster.Name,
                cluster.Location,
                cluster.OidcIssuerEnabled,
                cluster.WorkloadIdentityEnabled,
                cluster.IssuerUrl,
                readiness.IsReady,
                cluster.Id,
                readiness.Problems.ToArray(),
                FindingAdvice.ClusterFix(readiness.Issuer.Cluster, readiness.Findings),
                cluster.ProvisioningState);
        }

        public static AgentManagedIdentity ToIdentity(StepResult<UserAssignedIdentity> step, string name, string subscriptionId, string resourceGroupName, string location, AksWorkloadIdentityStatus? cluster, string? tenantId = null)
        {
            UserAssignedIdentity? identity = step.Resource;
            return new AgentManagedIdentity(
                identity?.Name ?? name,
                identity?.Id ?? IdentityIdAsArmReportsIt(step.ResourceId),
                identity?.ClientId,
                identity?.PrincipalId,
                identity?.TenantId ?? tenantId,
                identity?.SubscriptionId ?? subscriptionId,
                identity?.ResourceGroupName ?? resourceGroupName,
                identity?.Location ?? location,
                step.Action.ToString(),
                cluster);
        }

        public static AgentRoleAssignment ToRoleAssignment(StepResult<RoleAssignment> step, string scope, string roleDefinitionName, AgentManagedIdentity identity)
        {
            RoleAssignment? assignment = step.Resource;
            return new AgentRoleAssignment(
                assignment?.Id ?? (step.Action == SetupAction.Skipped ? null : step.ResourceId),
                assignment?.Name ?? LastSegment(step.ResourceId),
                assignment?.Scope ?? scope,
                roleDefinitionName,
                assignment?.RoleDefinitionId,
                assignment?.PrincipalId ?? identity.PrincipalId,
                assignment?.PrincipalType ?? AgentDefaults.PrincipalType,
                step.Action.ToString(),
                identity);
        }

        /// <summary>
        /// The role's name as Azure spells it when it is a built-in role typed in another case or given by GUID
        /// ('reader' and acdd72a7-... are both 'Reader'); otherwise the name as typed.
        /// </summary>
        public static string RoleName(string typed)
        {
            bool isGuid = System.Guid.TryParseExact(typed, "D", out _);
            foreach (string name in BuiltInRoles.Names)
            {
                if (isGuid
                    ? BuiltInRoles.TryGetId(name, out string guid) && string.Equals(guid, typed, System.StringComparison.OrdinalIgnoreCase)
                    : string.Equals(name, typed, System.StringComparison.OrdinalIgnoreCase))
                {
                    return name;
                }
            }

            return typed;
        }

        /// <summary>
        /// ARM reports user-assigned identity IDs with a lower-case "resourcegroups" segment; a previewed (-WhatIf) identity
        /// gets the same spelling, so its ID compares equal, even ordinally, to the one a real run returns.
        /// </summary>
        private static string IdentityIdAsArmReportsIt(string identityId)
        {
            const string segment = "/resourceGroups/";
            int at = identityId.IndexOf(segment, System.StringComparison.Ordinal);
            return at < 0 ? identityId : identityId.Substring(0, at) + segment.ToLowerInvariant() + identityId.Substring(at + segment.Length);
        }

        /// <summary>The agent configuration of one federation after a lifecycle apply (or, with no result, after a preview).</summary>
        public static AgentConfiguration ToConfiguration(ApplyResult result, AgentFederation federation, string? connectionTenantId)
        {
            AgentSpec spec = result.Plan.Spec;
            UserAssignedIdentity? identity = result.Identity;
            result.Credentials.TryGetValue(federation, out FederatedIdentityCredential? credential);
            ItemOutcome identityOutcome = result.OutcomeOf(PlanItemKind.Identity);
            ItemOutcome roleOutcome = result.OutcomeOf(PlanItemKind.RoleAssignment);
            ItemOutcome credentialOutcome = result.Outcomes.First(o => o.Item.Kind == PlanItemKind.FederatedCredential && ReferenceEquals(o.Item.Federation, federation));
            string issuer = credential?.Issuer ?? result.Plan.Observation.Clusters[federation.Cluster].IssuerUrl ?? string.Empty;
            return new AgentConfiguration(
                identity?.ClientId,
                identity?.TenantId ?? connectionTenantId,
                identity?.SubscriptionId ?? spec.IdentitySubscriptionId,
                federation.Namespace,
                federation.ServiceAccountName,
                issuer,
                identity?.Id ?? IdentityIdAsArmReportsIt(spec.IdentityId),
                result.RoleAssignment?.Id,
                credential?.Id,
                credential?.Name ?? federation.CredentialName,
                federation.Subject,
                federation.Audience,
                identityOutcome.Action.ToString(),
                roleOutcome.Action.ToString(),
                credentialOutcome.Action.ToString())
            {
                ClusterName = federation.Cluster.Name,
                ResourceGroupName = federation.Cluster.ResourceGroupName,
                IdentityName = spec.IdentityName,
                IdentityResourceGroupName = spec.IdentityResourceGroupName,
                RoleDefinitionName = spec.RoleDefinitionName,
                Scope = spec.Scope,
            };
        }

        /// <summary>An agent found federated to a cluster (Get-AgentWorkloadIdentity): what exists, nothing written.</summary>
        public static AgentConfiguration ToConfiguration(FoundAgent agent, ClusterIssuer cluster)
        {
            UserAssignedIdentity identity = agent.Identity;
            string existing = SetupAction.Existing.ToString();
            return new AgentConfiguration(
                identity.ClientId, identity.TenantId, identity.SubscriptionId, agent.Namespace, agent.ServiceAccountName, agent.Credential.Issuer, identity.Id,
                null, agent.Credential.Id, agent.Credential.Name, agent.Credential.Subject, string.Join(",", agent.Credential.Audiences),
                existing, null, existing)
            {
                ClusterName = cluster.Cluster.Name,
                ResourceGroupName = cluster.Cluster.ResourceGroupName,
                IdentityName = identity.Name,
                IdentityResourceGroupName = identity.ResourceGroupName,
            };
        }

        public static string? LastSegment(string? resourceId)
        {
            if (string.IsNullOrEmpty(resourceId)) return null;
            int slash = resourceId!.TrimEnd('/').LastIndexOf('/');
            return slash < 0 ? resourceId : resourceId.Substring(slash + 1);
        }

        public static Dictionary<string, string>? ToTags(System.Collections.IDictionary? tags)
        {
            if (tags == null) return null;
            var result = new Dictionary<string, string>();
            foreach (System.Collections.DictionaryEntry entry in tags)
            {
                result[entry.Key?.ToString() ?? string.Empty] = entry.Value?.ToString() ?? string.Empty;
            }

            return result;
        }
    }
}
