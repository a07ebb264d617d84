using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// The lifecycle model one step at a time, for the chained step cmdlets: each step observes its one resource, plans
    /// one <see cref="PlanItem"/> (kind, engine-built resource ID, action, finding) and applies it behind
    /// <see cref="WriteApproval"/>, asking with the item's <see cref="PlanItem.Operation"/>. Each step takes IDs, not the
    /// previous step's object, and is idempotent: what matches is reused, writes are PUTs under deterministic names.
    /// </summary>
    public sealed class AgentSteps
    {
        private readonly ArmRestClient _client;
        private readonly AgentSetupWorkflow _workflow;

        public AgentSteps(ArmRestClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _workflow = new AgentSetupWorkflow(client);
        }

        /// <summary>The cluster step of the lifecycle model (<see cref="AksIssuerSource"/>), for Test-AksWorkloadIdentity and Enable-AksWorkloadIdentity.</summary>
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
            var existing = await _client.GetIdentityAsync(subscriptionId, resourceGroupName, name, ct).ConfigureAwait(false);
            if (existing != null)
            {
                var found = new PlanItem(PlanItemKind.Identity, existing.Id, PlanAction.None, Array.Empty<FindingCode>(),
                    "Identity '" + existing.Name + "' exists (client ID " + existing.ClientId + ").");
                return new StepResult<UserAssignedIdentity>(found, existing, SetupAction.Existing, existing.Id);
            }

            var item = new PlanItem(PlanItemKind.Identity, ArmResourceId.Identity(subscriptionId, resourceGroupName, name), PlanAction.Create,
                new[] { FindingCode.IdentityMissing }, "Identity '" + name + "' does not exist.", operation: "Create user-assigned managed identity");
            if (!approve(item.ResourceId, item.Operation!)) return new StepResult<UserAssignedIdentity>(item, null, SetupAction.Skipped, item.ResourceId);
            var written = await _client.CreateOrUpdateIdentityAsync(subscriptionId, resourceGroupName, name, location, tags, ct).ConfigureAwait(false);
            // 200 means someone created it between our GET and PUT; it is theirs as much as ours.
            return new StepResult<UserAssignedIdentity>(item, written.Resource, written.Created ? SetupAction.Created : SetupAction.Existing, written.Resource.Id);
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
            var item = new PlanItem(PlanItemKind.Identity, identity.Id, PlanAction.Update, Array.Empty<FindingCode>(),
                "Identity '" + identity.Name + "' exists with other tags.",
                operation: "Set tags " + string.Join(", ", wanted.Select(t => t.Key + "=" + t.Value)) + " on the existing managed identity (its other tags are kept)");
            if (!approve(item.ResourceId, item.Operation!)) return new StepResult<UserAssignedIdentity>(item, identity, SetupAction.Skipped, identity.Id);
            var written = await _client.CreateOrUpdateIdentityAsync(identity.SubscriptionId, identity.ResourceGroupName, identity.Name, identity.Location, merged, ct).ConfigureAwait(false);
            return new StepResult<UserAssignedIdentity>(item, written.Resource, SetupAction.Updated, written.Resource.Id);
        }

        public async Task<StepResult<RoleAssignment>> EnsureRoleAssignmentAsync(string scope, string roleDefinitionName, string principalId, WriteApproval approve,
            CancellationToken ct)
        {
            if (approve == null) throw new ArgumentNullException(nameof(approve));
            InputValidator.Scope(scope);
            InputValidator.RoleDefinitionName(roleDefinitionName);
            InputValidator.TenantId(principalId, "PrincipalId");

            var roleGuid = await _workflow.ResolveRoleDefinitionGuidAsync(scope, roleDefinitionName, ct).ConfigureAwait(false);
            var name = DeterministicNames.RoleAssignment(scope, roleGuid, principalId);
            var match = await _workflow.FindRoleAssignmentAsync(scope, roleGuid, principalId, ct).ConfigureAwait(false);
            if (match != null) return Reused(match, name, roleDefinitionName, scope);

            var item = new PlanItem(PlanItemKind.RoleAssignment, ArmResourceId.RoleAssignment(scope, name), PlanAction.Create, new[] { FindingCode.RoleAssignmentMissing },
                "The identity has no assignment of role '" + roleDefinitionName + "' at scope '" + scope + "'.",
                operation: "Assign role '" + roleDefinitionName + "' to principal " + principalId);
            if (!approve(item.ResourceId, item.Operation!)) return new StepResult<RoleAssignment>(item, null, SetupAction.Skipped, item.ResourceId);
            try
            {
                var written = await _client.CreateRoleAssignmentAsync(scope, name, ArmResourceId.RoleDefinition(scope, roleGuid), principalId, AgentDefaults.PrincipalType, ct).ConfigureAwait(false);
                return new StepResult<RoleAssignment>(item, written.Resource, written.Created ? SetupAction.Created : SetupAction.Existing, written.Resource.Id);
            }
            catch (ArmException ex) when (ex.ErrorCode == "RoleAssignmentExists")
            {
                // Another writer won the race under its own name: adopt theirs.
                var raced = await _workflow.FindRoleAssignmentAsync(scope, roleGuid, principalId, ct).ConfigureAwait(false);
                if (raced == null) throw;
                return Reused(raced, name, roleDefinitionName, scope);
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

            var gate = AgentSetupWorkflow.FederatedCredentialLocks.GetOrAdd(ArmResourceId.TrimSlash(identityId), _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var all = await _client.ListFederatedCredentialsAsync(identityId, ct).ConfigureAwait(false);
                var reused = FederatedCredentialRules.FindReusable(all, identityId, ficName, issuer, subject);
                if (reused != null)
                {
                    var ours = string.Equals(reused.Name, ficName, StringComparison.OrdinalIgnoreCase);
                    var found = new PlanItem(PlanItemKind.FederatedCredential, reused.Id, PlanAction.None, Array.Empty<FindingCode>(),
                        "Credential '" + reused.Name + "' federates subject '" + reused.Subject + "' from issuer '" + reused.Issuer + "'.");
                    return new StepResult<FederatedIdentityCredential>(found, reused, ours ? SetupAction.Existing : SetupAction.Adopted, reused.Id);
                }

                var item = new PlanItem(PlanItemKind.FederatedCredential, ArmResourceId.FederatedCredential(identityId, ficName), PlanAction.Create,
                    new[] { FindingCode.CredentialMissing }, "No credential on the identity federates subject '" + subject + "' from issuer '" + issuer + "'.",
                    operation: "Create federated identity credential for subject '" + subject + "' from issuer '" + issuer + "'");
                if (!approve(item.ResourceId, item.Operation!)) return new StepResult<FederatedIdentityCredential>(item, null, SetupAction.Skipped, item.ResourceId);
                var written = await _client.CreateOrUpdateFederatedCredentialAsync(identityId, ficName, issuer, subject, AgentDefaults.Audience, ct).ConfigureAwait(false);
                return new StepResult<FederatedIdentityCredential>(item, written.Resource, written.Created ? SetupAction.Created : SetupAction.Existing, written.Resource.Id);
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>The identity ID a step cmdlet names before (or without) a call, built as the engine builds it for ARM (a cluster's is ClusterRef.Id).</summary>
        public static string IdentityId(string subscriptionId, string resourceGroupName, string name) => ArmResourceId.Identity(subscriptionId, resourceGroupName, name);

        /// <summary>The default scope of an agent's role: its identity's subscription.</summary>
        public static string SubscriptionScope(string subscriptionId) => ArmResourceId.Subscription(subscriptionId);

        public static string RoleAssignmentsAt(string scope) => ArmResourceId.RoleAssignments(scope);

        public static string FederatedCredentialId(string identityId, string name) => ArmResourceId.FederatedCredential(identityId, name);

        /// <summary>
        /// The role step while its identity does not exist (previewed with -WhatIf, or declined): no call, only the item a
        /// preview names. The assignment's name needs the principal, so the target is the scope's assignments.
        /// </summary>
        public static PlanItem PendingRoleAssignment(string scope, string roleDefinitionName, string identityId)
            => new PlanItem(PlanItemKind.RoleAssignment, ArmResourceId.RoleAssignments(scope), PlanAction.Blocked, new[] { FindingCode.IdentityMissing },
                "The identity '" + identityId + "' does not exist, so it has no principal to assign role '" + roleDefinitionName + "' to.",
                operation: "Assign role '" + roleDefinitionName + "' to the managed identity '" + identityId + "' once it exists (principalType " + AgentDefaults.PrincipalType + ")");

        /// <summary>The credential step while its identity does not exist: no call, only the item a preview names.</summary>
        /// <param name="name">Null: derived once the identity exists.</param>
        public static PlanItem PendingFederatedCredential(string identityId, string? name, string issuer, string subject)
            => new PlanItem(PlanItemKind.FederatedCredential, ArmResourceId.FederatedCredential(identityId, name ?? "<derived name>"), PlanAction.Blocked,
                new[] { FindingCode.IdentityMissing }, "The identity '" + identityId + "' does not exist, so it can carry no credential.",
                operation: "Create federated credential (issuer " + issuer + ", subject " + subject + ", audience " + AgentDefaults.Audience
                           + ") once the managed identity '" + identityId + "' exists");

        private static StepResult<RoleAssignment> Reused(RoleAssignment assignment, string deterministicName, string roleDefinitionName, string scope)
        {
            var item = new PlanItem(PlanItemKind.RoleAssignment, assignment.Id, PlanAction.None, Array.Empty<FindingCode>(),
                "The identity has role '" + roleDefinitionName + "' at scope '" + scope + "'.");
            var action = string.Equals(assignment.Name, deterministicName, StringComparison.OrdinalIgnoreCase) ? SetupAction.Existing : SetupAction.Adopted;
            return new StepResult<RoleAssignment>(item, assignment, action, assignment.Id);
        }

        private static string NameFromSubject(string issuer, string subject)
        {
            var serviceAccount = subject.Substring(subject.LastIndexOf(':') + 1);
            return AgentSetupWorkflow.FitCredentialName(serviceAccount + "-" + DeterministicNames.ShortHash(issuer + "|" + subject, 8));
        }
    }
}
