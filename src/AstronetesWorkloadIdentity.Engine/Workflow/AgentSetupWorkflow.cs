using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Reads and names shared by the lifecycle model (<see cref="AgentLifecycle"/>) and its single steps
    /// (<see cref="AgentSteps"/>): role resolution, an identity's exact assignment, deterministic names.
    /// </summary>
    public sealed class AgentSetupWorkflow
    {
        // ARM rejects concurrent credential writes under one identity (409), so writes are serialised per identity.
        internal static readonly ConcurrentDictionary<string, SemaphoreSlim> FederatedCredentialLocks =
            new ConcurrentDictionary<string, SemaphoreSlim>(StringComparer.OrdinalIgnoreCase);

        private readonly ArmRestClient _client;

        public AgentSetupWorkflow(ArmRestClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        /// <summary>A GUID (UUID v5) of lower-cased "scope|role definition GUID|principal ID": the same inputs always give the same name.</summary>
        /// <param name="roleDefinitionId">The role definition's full ID or just its GUID.</param>
        public static string RoleAssignmentName(string scope, string roleDefinitionId, string principalId)
        {
            if (scope == null) throw new ArgumentNullException(nameof(scope));
            if (roleDefinitionId == null) throw new ArgumentNullException(nameof(roleDefinitionId));
            if (principalId == null) throw new ArgumentNullException(nameof(principalId));
            return DeterministicNames.RoleAssignment(scope, ArmResourceId.LastSegment(roleDefinitionId), principalId);
        }

        /// <summary>
        /// "{cluster}-{namespace}-{serviceAccount}" made to fit the credential name rule (a hash suffix keeps long names
        /// distinct), so agents with the same service account name in two namespaces of one cluster get two credentials.
        /// </summary>
        public static string DefaultFederatedCredentialName(string clusterName, string @namespace, string serviceAccountName)
        {
            InputValidator.ClusterName(clusterName);
            InputValidator.KubernetesNamespace(@namespace);
            InputValidator.ServiceAccountName(serviceAccountName);
            return FitCredentialName(clusterName + "-" + @namespace + "-" + serviceAccountName);
        }

        internal static string FitCredentialName(string raw)
        {
            var cleaned = new string(raw.Select(c => char.IsLetterOrDigit(c) && c < 128 || c == '-' || c == '_' ? c : '-').ToArray());
            const int max = 120;
            if (cleaned.Length <= max) return cleaned;
            var hash = DeterministicNames.ShortHash(raw, 8);
            return cleaned.Substring(0, max - hash.Length - 1) + "-" + hash;
        }

        internal async Task<string> ResolveRoleDefinitionGuidAsync(string scope, string roleDefinitionName, CancellationToken ct)
        {
            if (InputValidator.IsGuid(roleDefinitionName)) return roleDefinitionName.ToLowerInvariant();
            if (BuiltInRoles.TryGetId(roleDefinitionName, out var builtIn)) return builtIn;
            var definitions = await _client.ListRoleDefinitionsByNameAsync(scope, roleDefinitionName, ct).ConfigureAwait(false);
            var definition = ExactRoleDefinition(definitions, roleDefinitionName, scope);
            return ArmResourceId.LastSegment(definition.Name.Length > 0 ? definition.Name : definition.Id);
        }

        /// <summary>
        /// The definition whose roleName is <paramref name="roleDefinitionName"/> (case ignored, as ARM does). Never another one
        /// the filter happened to return: assigning a role the caller did not name is worse than failing.
        /// </summary>
        internal static RoleDefinition ExactRoleDefinition(IEnumerable<RoleDefinition> definitions, string roleDefinitionName, string scope)
        {
            var exact = definitions.FirstOrDefault(d => string.Equals(d.RoleName, roleDefinitionName, StringComparison.OrdinalIgnoreCase));
            if (exact == null)
                throw new SetupPreconditionException("RoleDefinitionNotFound", "No role definition named '" + roleDefinitionName + "' is visible at scope '" + scope + "'.", scope,
                    "Check the role name (the Azure portal lists the roles under Access control (IAM) > Roles) or give the role definition GUID.");
            return exact;
        }

        internal async Task<RoleAssignment?> FindRoleAssignmentAsync(string scope, string roleGuid, string principalId, CancellationToken ct)
        {
            var assignments = await _client.ListRoleAssignmentsAsync(scope, "principalId eq '" + principalId + "'", ct).ConfigureAwait(false);
            // The filter also returns assignments inherited from above and made below the scope: only an exact scope counts.
            return assignments.FirstOrDefault(a =>
                ArmResourceId.AreEqual(a.Scope, scope)
                && string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase)
                && string.Equals(ArmResourceId.LastSegment(a.RoleDefinitionId), roleGuid, StringComparison.OrdinalIgnoreCase));
        }
    }
}
