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
                readiness.RecommendedAction);
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
