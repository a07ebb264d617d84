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
    /// The setup steps shared by the chained cmdlets and a one-shot command. Each step is independent
    /// (it takes IDs, not the previous step's object) and idempotent: it reads first, reuses what matches,
    /// and writes with PUT under a deterministic name only after <see cref="WriteApproval"/> says yes.
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

        /// <summary>The cluster step of the lifecycle model (<see cref="AksIssuerSource"/>), for Test-AksWorkloadIdentity.</summary>
        public async Task<ClusterReadiness> CheckClusterAsync(string subscriptionId, string resourceGroupName, string clusterName, CancellationToken ct)
        {
            var cluster = new ClusterRef(subscriptionId, resourceGroupName, clusterName);
            var issuer = await new AksIssuerSource(_client).ObserveAsync(cluster, ct).ConfigureAwait(false);
            return new ClusterReadiness(issuer);
        }

        public async Task<StepResult<UserAssignedIdentity>> EnsureIdentityAsync(string subscriptionId, string resourceGroupName, string name, string location,
            IReadOnlyDictionary<string, string>? tags, WriteApproval approve, CancellationToken ct)
        {
            if (approve == null) throw new ArgumentNullException(nameof(approve));
            // Form only: the location usually comes from ARM (the cluster's or resource group's), and a region newer than
            // AzureRegions is still real. The cmdlet checks a user-typed -Location with InputValidator.KnownLocation.
            InputValidator.Location(location);
            location = InputValidator.NormalizeLocation(location);
            InputValidator.Tags(tags);
            var id = ArmResourceId.Identity(subscriptionId, resourceGroupName, name);
            var existing = await _client.GetIdentityAsync(subscriptionId, resourceGroupName, name, ct).ConfigureAwait(false);
            if (existing != null) return new StepResult<UserAssignedIdentity>(existing, SetupAction.Existing, existing.Id);
            if (!approve(id, "Create user-assigned managed identity")) return new StepResult<UserAssignedIdentity>(null, SetupAction.Skipped, id);
            var written = await _client.CreateOrUpdateIdentityAsync(subscriptionId, resourceGroupName, name, location, tags, ct).ConfigureAwait(false);
            // 200 means someone created it between our GET and PUT; it is theirs as much as ours.
            return new StepResult<UserAssignedIdentity>(written.Resource, written.Created ? SetupAction.Created : SetupAction.Existing, written.Resource.Id);
        }

        /// <summary>
        /// The wanted tags an existing identity lacks or holds with another value, each as "name: 'theirs' instead of 'ours'";
        /// empty when it carries them all (its other tags do not matter).
        /// </summary>
        public static IReadOnlyList<string> TagDifferences(UserAssignedIdentity identity, IReadOnlyDictionary<string, string>? wanted)
        {
            if (identity == null) throw new ArgumentNullException(nameof(identity));
            var differences = new List<string>();
            if (wanted == null) return differences;
            foreach (var tag in wanted.OrderBy(t => t.Key, StringComparer.OrdinalIgnoreCase))
            {
                // ARM compares tag names case-insensitively and values exactly.
                var theirs = identity.Tags.FirstOrDefault(t => string.Equals(t.Key, tag.Key, StringComparison.OrdinalIgnoreCase));
                if (theirs.Key == null) differences.Add(tag.Key + ": missing instead of '" + tag.Value + "'");
                else if (!string.Equals(theirs.Value, tag.Value, StringComparison.Ordinal)) differences.Add(tag.Key + ": '" + theirs.Value + "' instead of '" + tag.Value + "'");
            }
            return differences;
        }

        /// <summary>
        /// Sets <paramref name="wanted"/> on an identity that exists with other tags, keeping the tags it has besides them
        /// (someone else's), after <paramref name="approve"/>. Only on the caller's explicit request (-Force): adopting an
        /// identity never changes it by itself.
        /// </summary>
        public async Task<StepResult<UserAssignedIdentity>> SetIdentityTagsAsync(UserAssignedIdentity identity, IReadOnlyDictionary<string, string> wanted, WriteApproval approve,
            CancellationToken ct)
        {
            if (identity == null) throw new ArgumentNullException(nameof(identity));
            if (wanted == null) throw new ArgumentNullException(nameof(wanted));
            if (approve == null) throw new ArgumentNullException(nameof(approve));
            InputValidator.Tags(wanted);
            var merged = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var tag in identity.Tags) merged[tag.Key] = tag.Value;
            foreach (var tag in wanted) merged[tag.Key] = tag.Value;
            if (!approve(identity.Id, "Set tags " + string.Join(", ", wanted.Select(t => t.Key + "=" + t.Value)) + " on the existing managed identity (its other tags are kept)"))
                return new StepResult<UserAssignedIdentity>(identity, SetupAction.Skipped, identity.Id);
            var written = await _client.CreateOrUpdateIdentityAsync(identity.SubscriptionId, identity.ResourceGroupName, identity.Name, identity.Location, merged, ct).ConfigureAwait(false);
            return new StepResult<UserAssignedIdentity>(written.Resource, SetupAction.Updated, written.Resource.Id);
        }

        public async Task<StepResult<RoleAssignment>> EnsureRoleAssignmentAsync(string scope, string roleDefinitionName, string principalId, WriteApproval approve,
            CancellationToken ct)
        {
            if (approve == null) throw new ArgumentNullException(nameof(approve));
            InputValidator.Scope(scope);
            InputValidator.RoleDefinitionName(roleDefinitionName);
            InputValidator.TenantId(principalId, "PrincipalId");

            var roleGuid = await ResolveRoleDefinitionGuidAsync(scope, roleDefinitionName, ct).ConfigureAwait(false);
            var roleDefinitionId = ArmResourceId.RoleDefinition(scope, roleGuid);
            var name = RoleAssignmentName(scope, roleGuid, principalId);
            var id = ArmResourceId.RoleAssignment(scope, name);

            var match = await FindRoleAssignmentAsync(scope, roleGuid, principalId, ct).ConfigureAwait(false);
            if (match != null) return Reused(match, name);
            if (!approve(id, "Assign role '" + roleDefinitionName + "' to principal " + principalId)) return new StepResult<RoleAssignment>(null, SetupAction.Skipped, id);
            try
            {
                var written = await _client.CreateRoleAssignmentAsync(scope, name, roleDefinitionId, principalId, AgentDefaults.PrincipalType, ct).ConfigureAwait(false);
                return new StepResult<RoleAssignment>(written.Resource, written.Created ? SetupAction.Created : SetupAction.Existing, written.Resource.Id);
            }
            catch (ArmException ex) when (ex.ErrorCode == "RoleAssignmentExists")
            {
                // Another writer won the race under its own name: adopt theirs.
                var raced = await FindRoleAssignmentAsync(scope, roleGuid, principalId, ct).ConfigureAwait(false);
                if (raced == null) throw;
                return Reused(raced, name);
            }
        }

        /// <param name="name">Null: a name derived from the subject and issuer.</param>
        public async Task<StepResult<FederatedIdentityCredential>> EnsureFederatedCredentialAsync(string identityId, string? name, string issuer, string subject,
            WriteApproval approve, CancellationToken ct)
        {
            if (approve == null) throw new ArgumentNullException(nameof(approve));
            ArmResourceId.ValidateIdentityId(identityId);
            InputValidator.IssuerUrl(issuer, "Issuer");
            InputValidator.SubjectValue(subject);
            var ficName = name ?? NameFromSubject(issuer, subject);
            InputValidator.FederatedCredentialName(ficName, "Name");
            var id = ArmResourceId.FederatedCredential(identityId, ficName);

            var gate = FederatedCredentialLocks.GetOrAdd(ArmResourceId.TrimSlash(identityId), _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var all = await _client.ListFederatedCredentialsAsync(identityId, ct).ConfigureAwait(false);
                var reused = FederatedCredentialRules.FindReusable(all, identityId, ficName, issuer, subject);
                if (reused != null)
                {
                    var action = string.Equals(reused.Name, ficName, StringComparison.OrdinalIgnoreCase) ? SetupAction.Existing : SetupAction.Adopted;
                    return new StepResult<FederatedIdentityCredential>(reused, action, reused.Id);
                }
                if (!approve(id, "Create federated identity credential for subject '" + subject + "' from issuer '" + issuer + "'"))
                    return new StepResult<FederatedIdentityCredential>(null, SetupAction.Skipped, id);
                var written = await _client.CreateOrUpdateFederatedCredentialAsync(identityId, ficName, issuer, subject, AgentDefaults.Audience, ct).ConfigureAwait(false);
                return new StepResult<FederatedIdentityCredential>(written.Resource, written.Created ? SetupAction.Created : SetupAction.Existing, written.Resource.Id);
            }
            finally
            {
                gate.Release();
            }
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

        private static string NameFromSubject(string issuer, string subject)
        {
            var serviceAccount = subject.Substring(subject.LastIndexOf(':') + 1);
            return FitCredentialName(serviceAccount + "-" + DeterministicNames.ShortHash(issuer + "|" + subject, 8));
        }

        private static string FitCredentialName(string raw)
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

        private static StepResult<RoleAssignment> Reused(RoleAssignment assignment, string deterministicName)
        {
            var action = string.Equals(assignment.Name, deterministicName, StringComparison.OrdinalIgnoreCase) ? SetupAction.Existing : SetupAction.Adopted;
            return new StepResult<RoleAssignment>(assignment, action, assignment.Id);
        }
    }
}
