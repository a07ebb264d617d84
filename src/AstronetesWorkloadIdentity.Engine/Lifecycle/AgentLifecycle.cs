using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Observe, plan (<see cref="AgentPlanner"/>) and apply an agent's workload identity. Reads that do not depend on each
    /// other run at once (clusters beside the identity; its role assignment beside its credentials); a missing identity is
    /// known to have neither, so a fresh setup reads twice and writes three times in three round trips.
    /// </summary>
    public sealed class AgentLifecycle
    {
        private readonly ArmRestClient _client;
        private readonly AgentSetupWorkflow _workflow;
        private readonly AgentSteps _steps;
        private readonly IIssuerSource _issuers;
        private readonly IssuerDiscoveryClient? _discovery;

        /// <param name="issuers">Null: AKS clusters read from ARM.</param>
        /// <param name="discovery">Null: discovery documents are not read (New-, Remove-); Test- and Repair- pass one.</param>
        public AgentLifecycle(ArmRestClient client, IIssuerSource? issuers = null, IssuerDiscoveryClient? discovery = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _workflow = new AgentSetupWorkflow(client);
            _steps = new AgentSteps(client);
            _issuers = issuers ?? new AksIssuerSource(client);
            _discovery = discovery;
        }

        public async Task<AgentObservation> ObserveAsync(AgentSpec spec, CancellationToken ct)
        {
            if (spec == null) throw new ArgumentNullException(nameof(spec));
            var clusterTasks = spec.Clusters.ToDictionary(c => c, c => ObserveClusterAsync(c, ct));
            var identityTask = _client.GetIdentityAsync(spec.IdentitySubscriptionId, spec.IdentityResourceGroupName, spec.IdentityName, ct);
            var roleTask = _workflow.ResolveRoleDefinitionGuidAsync(spec.Scope, spec.RoleDefinitionName, ct);
            await WhenAllObserved(clusterTasks.Values.Cast<Task>().Concat(new Task[] { identityTask, roleTask })).ConfigureAwait(false);

            var identity = identityTask.Result;
            RoleAssignment? assignment = null;
            IReadOnlyList<FederatedIdentityCredential> credentials = Array.Empty<FederatedIdentityCredential>();
            if (identity != null)
            {
                var assignmentTask = _workflow.FindRoleAssignmentAsync(spec.Scope, roleTask.Result, identity.PrincipalId, ct);
                var credentialsTask = _client.ListFederatedCredentialsAsync(identity.Id, ct);
                await WhenAllObserved(new Task[] { assignmentTask, credentialsTask }).ConfigureAwait(false);
                assignment = assignmentTask.Result;
                credentials = credentialsTask.Result;
            }

            var clusters = clusterTasks.ToDictionary(p => p.Key, p => p.Value.Result.Issuer);
            var discovery = _discovery == null ? null
                : clusterTasks.Where(p => p.Value.Result.Discovered != null).ToDictionary(p => p.Key, p => p.Value.Result.Discovered!);
            return new AgentObservation(spec, clusters, identity, roleTask.Result, assignment, credentials, discovery);
        }

        public async Task<AgentPlan> PlanAsync(AgentSpec spec, PlanMode mode, bool keepIdentity, CancellationToken ct)
            => AgentPlanner.Plan(await ObserveAsync(spec, ct).ConfigureAwait(false), mode, keepIdentity);

        /// <summary>
        /// Applies the plan's writes, each after <paramref name="approve"/>. A failed write is recorded as Failed (with its
        /// exception) and what depends on it is Skipped, so the result always says what was done; cancellation throws.
        /// </summary>
        /// <param name="progress">Called (on a pool thread) as each item finishes.</param>
        public Task<ApplyResult> ApplyAsync(AgentPlan plan, WriteApproval approve, Action<ItemOutcome>? progress, CancellationToken ct)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            if (approve == null) throw new ArgumentNullException(nameof(approve));
            var run = new ApplyRun(this, plan, approve, progress, ct);
            return plan.Mode == PlanMode.Remove ? run.RemoveAsync() : run.SetupAsync();
        }

        /// <summary>
        /// The agents federated to a cluster: credentials, on any user-assigned identity of the cluster's subscription, whose
        /// issuer is exactly the cluster's and whose subject is a service account. One list, then one list per identity.
        /// </summary>
        public async Task<FoundAgents> FindAgentsAsync(ClusterRef cluster, CancellationToken ct)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            var issuerTask = _issuers.ObserveAsync(cluster, ct);
            var identitiesTask = _client.ListIdentitiesAsync(cluster.SubscriptionId, null, ct);
            await WhenAllObserved(new Task[] { issuerTask, identitiesTask }).ConfigureAwait(false);
            var issuer = issuerTask.Result;
            var agents = new List<FoundAgent>();
            if (issuer.IssuerUrl == null) return new FoundAgents(issuer, agents);

            using var gate = new SemaphoreSlim(8);
            var lists = identitiesTask.Result.Select(async identity =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    return (identity, credentials: await _client.ListFederatedCredentialsAsync(identity.Id, ct).ConfigureAwait(false));
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await WhenAllObserved(lists).ConfigureAwait(false);
            foreach (var (identity, credentials) in lists.Select(t => t.Result).OrderBy(l => l.identity.Name, StringComparer.OrdinalIgnoreCase))
            {
                foreach (var credential in credentials.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
                {
                    if (!string.Equals(credential.Issuer, issuer.IssuerUrl, StringComparison.Ordinal)) continue;
                    if (!TryParseSubject(credential.Subject, out var ns, out var serviceAccount)) continue;
                    agents.Add(new FoundAgent(identity, credential, ns, serviceAccount));
                }
            }
            return new FoundAgents(issuer, agents);
        }

        internal static bool TryParseSubject(string subject, out string @namespace, out string serviceAccount)
        {
            @namespace = serviceAccount = "";
            const string prefix = "system:serviceaccount:";
            if (subject == null || !subject.StartsWith(prefix, StringComparison.Ordinal)) return false;
            var parts = subject.Substring(prefix.Length).Split(':');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) return false;
            @namespace = parts[0];
            serviceAccount = parts[1];
            return true;
        }

        private async Task<(ClusterIssuer Issuer, DiscoveredIssuer? Discovered)> ObserveClusterAsync(ClusterRef cluster, CancellationToken ct)
        {
            var issuer = await _issuers.ObserveAsync(cluster, ct).ConfigureAwait(false);
            if (_discovery == null || issuer.IssuerUrl == null) return (issuer, null);
            return (issuer, await _discovery.ReadAsync(issuer.IssuerUrl, ct).ConfigureAwait(false));
        }

        /// <summary>Waits for every task (none is left unobserved), then throws the first failure.</summary>
        private static async Task WhenAllObserved(IEnumerable<Task> tasks)
        {
            var all = tasks.ToList();
            try
            {
                await Task.WhenAll(all).ConfigureAwait(false);
            }
            catch
            {
                var canceled = all.FirstOrDefault(t => t.IsCanceled);
                var faulted = all.FirstOrDefault(t => t.IsFaulted && !(t.Exception!.InnerException is OperationCanceledException));
                if (faulted != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(faulted.Exception!.InnerException!).Throw();
                if (canceled != null) await canceled.ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>One application of one plan.</summary>
        private sealed class ApplyRun
        {
            private readonly AgentLifecycle _owner;
            private readonly AgentPlan _plan;
            private readonly WriteApproval _approve;
            private readonly Action<ItemOutcome>? _progress;
            private readonly CancellationToken _ct;
            private readonly Dictionary<PlanItem, ItemOutcome> _outcomes = new Dictionary<PlanItem, ItemOutcome>();
            private readonly Dictionary<AgentFederation, FederatedIdentityCredential?> _credentials = new Dictionary<AgentFederation, FederatedIdentityCredential?>();
            private UserAssignedIdentity? _identity;
            private RoleAssignment? _assignment;

            public ApplyRun(AgentLifecycle owner, AgentPlan plan, WriteApproval approve, Action<ItemOutcome>? progress, CancellationToken ct)
            {
                _owner = owner;
                _plan = plan;
                _approve = approve;
                _progress = progress;
                _ct = ct;
                _identity = plan.Observation.Identity;
                _assignment = plan.Observation.RoleAssignment;
                foreach (var f in plan.Spec.Federations) _credentials[f] = plan.Observation.CredentialFor(f);
            }

            private AgentSpec Spec => _plan.Spec;
            private ArmRestClient Client => _owner._client;

            public async Task<ApplyResult> SetupAsync()
            {
                foreach (var item in _plan.Items.Where(i => i.Kind == PlanItemKind.Cluster || i.Kind == PlanItemKind.CredentialCapacity || i.Kind == PlanItemKind.DiscoveryDocument))
                    Record(item, item.Action == PlanAction.Blocked ? SetupAction.Blocked : SetupAction.Existing, item.ResourceId);

                var identityItem = _plan.Items.Single(i => i.Kind == PlanItemKind.Identity);
                var identityOutcome = await Guard(identityItem, CreateIdentityAsync).ConfigureAwait(false);
                // 201 means nothing can hang off the new principal yet; 200 means someone else made it: read before writing.
                var fresh = identityOutcome.Action == SetupAction.Created;

                var assignmentItem = _plan.Items.Single(i => i.Kind == PlanItemKind.RoleAssignment);
                var credentialItems = _plan.Items.Where(i => i.Kind == PlanItemKind.FederatedCredential).ToList();
                if (_identity == null)
                {
                    var dependent = identityOutcome.Action == SetupAction.Blocked ? SetupAction.Blocked : SetupAction.Skipped;
                    Record(assignmentItem, dependent, assignmentItem.ResourceId);
                    foreach (var item in credentialItems) Record(item, item.Action == PlanAction.Blocked ? SetupAction.Blocked : dependent, item.ResourceId);
                }
                else
                {
                    var assignmentTask = Guard(assignmentItem, item => EnsureAssignmentAsync(item, fresh));
                    var credentialsTask = EnsureCredentialsAsync(credentialItems, fresh);
                    await Task.WhenAll(assignmentTask, credentialsTask).ConfigureAwait(false);
                }
                return Result();
            }

            public async Task<ApplyResult> RemoveAsync()
            {
                // Strictly in plan order: credentials, role assignment, identity.
                foreach (var item in _plan.Items)
                {
                    await Guard(item, DeleteAsync).ConfigureAwait(false);
                }
                return Result();
            }

            private async Task<ItemOutcome> CreateIdentityAsync(PlanItem item)
            {
                if (item.Action == PlanAction.None) return Record(item, SetupAction.Existing, _identity!.Id);
                if (item.Action == PlanAction.Blocked) return Record(item, SetupAction.Blocked, item.ResourceId);
                if (!_approve(item.ResourceId, "Create user-assigned managed identity")) return Record(item, SetupAction.Skipped, item.ResourceId);
                var location = Spec.Location ?? _plan.Observation.Clusters[Spec.Clusters[0]].Location;
                var written = await Client.CreateOrUpdateIdentityAsync(Spec.IdentitySubscriptionId, Spec.IdentityResourceGroupName, Spec.IdentityName, location, Spec.Tags, _ct).ConfigureAwait(false);
                _identity = written.Resource;
                return Record(item, written.Created ? SetupAction.Created : SetupAction.Existing, written.Resource.Id);
            }

            private async Task<ItemOutcome> EnsureAssignmentAsync(PlanItem item, bool fresh)
            {
                if (item.Action == PlanAction.None) return Record(item, SetupAction.Existing, _assignment!.Id);
                if (item.Action == PlanAction.Blocked) return Record(item, SetupAction.Blocked, item.ResourceId);
                var identity = _identity!;
                if (!fresh && _plan.Observation.Identity == null)
                {
                    // The identity appeared between our read and our write: it may already have its assignment.
                    var step = await _owner._steps.EnsureRoleAssignmentAsync(Spec.Scope, Spec.RoleDefinitionName, identity.PrincipalId, _approve, _ct).ConfigureAwait(false);
                    _assignment = step.Resource;
                    return Record(item, step.Action, step.ResourceId);
                }
                var guid = _plan.Observation.RoleDefinitionGuid;
                var name = DeterministicNames.RoleAssignment(Spec.Scope, guid, identity.PrincipalId);
                var id = ArmResourceId.RoleAssignment(Spec.Scope, name);
                if (!_approve(id, "Assign role '" + Spec.RoleDefinitionName + "' to principal " + identity.PrincipalId)) return Record(item, SetupAction.Skipped, id);
                try
                {
                    var written = await Client.CreateRoleAssignmentAsync(Spec.Scope, name, ArmResourceId.RoleDefinition(Spec.Scope, guid), identity.PrincipalId, AgentDefaults.PrincipalType, _ct).ConfigureAwait(false);
                    _assignment = written.Resource;
                    return Record(item, written.Created ? SetupAction.Created : SetupAction.Existing, written.Resource.Id);
                }
                catch (ArmException ex) when (ex.ErrorCode == "RoleAssignmentExists")
                {
                    // Another writer won the race under its own name: adopt theirs.
                    var raced = await _owner._workflow.FindRoleAssignmentAsync(Spec.Scope, guid, identity.PrincipalId, _ct).ConfigureAwait(false);
                    if (raced == null) throw;
                    _assignment = raced;
                    return Record(item, SetupAction.Adopted, raced.Id);
                }
            }

            private async Task EnsureCredentialsAsync(IReadOnlyList<PlanItem> items, bool fresh)
            {
                var identity = _identity!;
                // ARM rejects concurrent credential writes under one identity (409): one at a time, shared with the step cmdlets.
                var gate = AgentSetupWorkflow.FederatedCredentialLocks.GetOrAdd(ArmResourceId.TrimSlash(identity.Id), _ => new SemaphoreSlim(1, 1));
                await gate.WaitAsync(_ct).ConfigureAwait(false);
                try
                {
                    foreach (var item in items)
                    {
                        await Guard(item, i => EnsureCredentialAsync(i, identity, fresh)).ConfigureAwait(false);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }

            private async Task<ItemOutcome> EnsureCredentialAsync(PlanItem item, UserAssignedIdentity identity, bool fresh)
            {
                var f = item.Federation!;
                if (item.Action == PlanAction.None) return Record(item, SetupAction.Existing, item.ResourceId);
                if (item.Action == PlanAction.Blocked) return Record(item, SetupAction.Blocked, item.ResourceId);
                var issuer = _plan.Observation.Clusters[f.Cluster].IssuerUrl!;
                if (item.Action == PlanAction.Create && !fresh && _plan.Observation.Identity == null)
                {
                    // Lock already held: read and decide as the step cmdlet does, without taking it again.
                    var all = await Client.ListFederatedCredentialsAsync(identity.Id, _ct).ConfigureAwait(false);
                    var reused = FederatedCredentialRules.FindReusable(all, identity.Id, f.CredentialName, issuer, f.Subject);
                    if (reused != null)
                    {
                        _credentials[f] = reused;
                        return Record(item, SetupAction.Existing, reused.Id);
                    }
                }
                var id = ArmResourceId.FederatedCredential(identity.Id, f.CredentialName);
                var verb = item.Action == PlanAction.Update ? "Update" : "Create";
                if (!_approve(id, verb + " federated identity credential for subject '" + f.Subject + "' from issuer '" + issuer + "'")) return Record(item, SetupAction.Skipped, id);
                var written = await Client.CreateOrUpdateFederatedCredentialAsync(identity.Id, f.CredentialName, issuer, f.Subject, f.Audience, _ct).ConfigureAwait(false);
                _credentials[f] = written.Resource;
                return Record(item, item.Action == PlanAction.Update ? SetupAction.Updated : written.Created ? SetupAction.Created : SetupAction.Existing, written.Resource.Id);
            }

            private async Task<ItemOutcome> DeleteAsync(PlanItem item)
            {
                if (item.Action != PlanAction.Delete)
                    return Record(item, item.Has(FindingCode.IdentityShared) || item.Finding == FindingCode.Ok ? SetupAction.Existing : SetupAction.Absent, item.ResourceId);
                if (!_approve(item.ResourceId, "Delete " + Describe(item.Kind))) return Record(item, SetupAction.Skipped, item.ResourceId);
                bool existed;
                switch (item.Kind)
                {
                    case PlanItemKind.FederatedCredential:
                        existed = await Client.DeleteFederatedCredentialAsync(_identity!.Id, ArmResourceId.LastSegment(item.ResourceId), _ct).ConfigureAwait(false);
                        _credentials[item.Federation!] = null;
                        break;
                    case PlanItemKind.RoleAssignment:
                        existed = await Client.DeleteRoleAssignmentAsync(Spec.Scope, _assignment!.Name, _ct).ConfigureAwait(false);
                        _assignment = null;
                        break;
                    case PlanItemKind.Identity:
                        existed = await Client.DeleteIdentityAsync(Spec.IdentitySubscriptionId, Spec.IdentityResourceGroupName, Spec.IdentityName, _ct).ConfigureAwait(false);
                        _identity = null;
                        break;
                    default:
                        throw new InvalidOperationException("Nothing to delete for " + item.Kind + ".");
                }
                return Record(item, existed ? SetupAction.Deleted : SetupAction.Absent, item.ResourceId);
            }

            private static string Describe(PlanItemKind kind) => kind switch
            {
                PlanItemKind.FederatedCredential => "federated identity credential",
                PlanItemKind.RoleAssignment => "role assignment",
                PlanItemKind.Identity => "user-assigned managed identity",
                _ => kind.ToString(),
            };

            private async Task<ItemOutcome> Guard(PlanItem item, Func<PlanItem, Task<ItemOutcome>> work)
            {
                try
                {
                    return await work(item).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_ct.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (ex is ArmException || ex is SetupPreconditionException || ex is InputValidationException)
                {
                    return Record(item, SetupAction.Failed, item.ResourceId, ex);
                }
            }

            private ItemOutcome Record(PlanItem item, SetupAction action, string resourceId, Exception? error = null)
            {
                var outcome = new ItemOutcome(item, action, resourceId, error);
                lock (_outcomes) _outcomes[item] = outcome;
                _progress?.Invoke(outcome);
                return outcome;
            }

            private ApplyResult Result()
            {
                var outcomes = _plan.Items.Select(i => _outcomes.TryGetValue(i, out var o) ? o : new ItemOutcome(i, SetupAction.Skipped, i.ResourceId)).ToList();
                return new ApplyResult(_plan, outcomes, _identity, _assignment, new Dictionary<AgentFederation, FederatedIdentityCredential?>(_credentials));
            }
        }
    }

    public sealed class FoundAgent
    {
        internal FoundAgent(UserAssignedIdentity identity, FederatedIdentityCredential credential, string @namespace, string serviceAccountName)
        {
            Identity = identity;
            Credential = credential;
            Namespace = @namespace;
            ServiceAccountName = serviceAccountName;
        }

        public UserAssignedIdentity Identity { get; }
        public FederatedIdentityCredential Credential { get; }
        public string Namespace { get; }
        public string ServiceAccountName { get; }
    }

    public sealed class FoundAgents
    {
        internal FoundAgents(ClusterIssuer cluster, IReadOnlyList<FoundAgent> agents)
        {
            Cluster = cluster;
            Agents = agents;
        }

        public ClusterIssuer Cluster { get; }
        public IReadOnlyList<FoundAgent> Agents { get; }
    }
}
