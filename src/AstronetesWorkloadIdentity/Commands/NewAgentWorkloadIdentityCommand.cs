using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AstronetesWorkloadIdentity.Completion;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// The whole setup in one command: cluster check, identity, role assignment and federated credential, with the calls
    /// that do not depend on each other at once. Agents piped in (a CSV) are set up together: those sharing an identity as
    /// one plan, the others side by side up to -ThrottleLimit; output comes in input order.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AgentWorkloadIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AgentConfiguration))]
    public sealed class NewAgentWorkloadIdentityCommand : AgentTargetCmdletBase
    {
        private readonly List<AgentSpec?> _rows = new List<AgentSpec?>();

        /// <summary>The identity's region; defaults to the cluster's.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(AzureRegionCompleter))]
        public string? Location { get; set; }

        /// <summary>How many identities are set up at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        protected override void ProcessRecord()
        {
            if (Location != null && !TryValidate(() => InputValidator.KnownLocation(Location), "Location", CmdletAdvice.UnknownRegion))
            {
                return;
            }

            AgentSpec? spec = TryBuildSpec(Location);
            if (spec != null)
            {
                _rows.Add(spec);
            }
        }

        protected override void EndProcessing()
        {
            if (_rows.Count == 0)
            {
                return;
            }

            // Agents on one identity are one plan: one identity read, one role assignment, their credentials one after another.
            List<Group> groups = _rows
                .Select((spec, index) => (spec: spec!, index))
                .GroupBy(r => Key(r.spec), StringComparer.OrdinalIgnoreCase)
                .Select(g => new Group(g.Select(r => r.index).ToList(), Merge(g.Select(r => r.spec))))
                .ToList();
            var groupOfRow = new Group[_rows.Count];
            foreach (Group group in groups)
            {
                foreach (int row in group.Rows) groupOfRow[row] = group;
            }

            AgentLifecycle lifecycle = CreateLifecycle(readDiscovery: false);
            WriteApproval approve = CreateApproval();
            string? tenantId = ConnectionTenantId();
            var progress = new SetupProgress(this, groups.Sum(g => g.Spec.Clusters.Count + 3 + g.Spec.Federations.Count));
            int next = 0;
            var emitted = new object();

            void EmitReady()
            {
                // Output in input order: a row goes out once its group is done and every row before it has gone out.
                lock (emitted)
                {
                    while (next < _rows.Count && groupOfRow[next].Done)
                    {
                        int row = next++;
                        Group group = groupOfRow[row];
                        PostToPipeline(() => Emit(group, _rows[row]!, row == group.Rows[0], tenantId));
                    }
                }
            }

            Await(async ct =>
            {
                using var throttle = new SemaphoreSlim(ThrottleLimit);
                await Task.WhenAll(groups.Select(async group =>
                {
                    await throttle.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        AgentPlan plan = await lifecycle.PlanAsync(group.Spec, PlanMode.Create, false, ct).ConfigureAwait(false);
                        group.Result = await lifecycle.ApplyAsync(plan, approve, progress.Report, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is ArmException || e is InputValidationException || e is SetupPreconditionException)
                    {
                        group.Failure = e;
                    }
                    finally
                    {
                        throttle.Release();
                        group.Done = true;
                        EmitReady();
                    }
                })).ConfigureAwait(false);
                return true;
            });
            progress.Complete();
        }

        private void Emit(Group group, AgentSpec row, bool firstOfGroup, string? tenantId)
        {
            AgentFederation federation = group.Spec.Federations.First(f => string.Equals(f.CredentialName, row.Federations[0].CredentialName, StringComparison.OrdinalIgnoreCase));
            string target = "-ResourceGroupName " + federation.Cluster.ResourceGroupName + " -ClusterName " + federation.Cluster.Name + " -AgentName " + federation.ServiceAccountName
                + (string.Equals(row.IdentityName, AgentDefaults.IdentityName, StringComparison.OrdinalIgnoreCase) ? "" : " -IdentityName " + row.IdentityName);
            if (group.Failure != null)
            {
                WriteError(GroupFailure(group.Failure, federation));
                return;
            }

            ApplyResult result = group.Result!;
            foreach (ItemOutcome outcome in result.Outcomes)
            {
                // What the agents of a group share is reported once, with the first of them.
                bool mine = outcome.Item.Federation == null ? firstOfGroup : ReferenceEquals(outcome.Item.Federation, federation);
                if (!mine) continue;
                if (outcome.Action == SetupAction.Failed) WriteError(FindingAdvice.Failed(outcome, FindingAdvice.AlreadyDone(result)));
                else if (outcome.Action == SetupAction.Blocked && outcome.Item.Action == PlanAction.Blocked) WriteError(FindingAdvice.Blocked(outcome.Item, target));
            }

            if (result.Outcomes.Any(o => o.Item.Kind == PlanItemKind.Cluster && ReferenceEquals(o.Item.Cluster, federation.Cluster) && o.Action == SetupAction.Blocked))
            {
                return;
            }

            if (IsWhatIf && result.OutcomeOf(PlanItemKind.Identity).Action == SetupAction.Skipped)
            {
                // The preview shows every write, including those that wait for the identity.
                if (firstOfGroup) ShouldProcess(result.OutcomeOf(PlanItemKind.RoleAssignment).ResourceId, "Assign role '" + group.Spec.RoleDefinitionName + "' once the identity exists");
                ShouldProcess(ArmResourceIdText(group.Spec.IdentityId, federation.CredentialName), "Create federated credential for subject '" + federation.Subject + "' once the identity exists");
            }

            AgentConfiguration configuration = OutputMapper.ToConfiguration(result, federation, tenantId);
            WriteVerbose("Agent '" + federation + "': identity " + configuration.IdentityAction + ", role assignment " + configuration.RoleAssignmentAction
                + ", federated credential " + configuration.FederatedCredentialAction + ".");
            WriteObject(configuration);
        }

        private static string ArmResourceIdText(string identityId, string credentialName) => identityId + "/federatedIdentityCredentials/" + credentialName;

        private static ErrorRecord GroupFailure(Exception failure, AgentFederation federation)
        {
            string doing = "Setting up agent '" + federation.ServiceAccountName + "' on cluster '" + federation.Cluster.Name + "'";
            return failure switch
            {
                ArmException arm => ErrorRecordFactory.FromArm(arm, arm.ResourceId != null && arm.ResourceId.IndexOf("managedClusters", StringComparison.OrdinalIgnoreCase) >= 0 ? "Cluster" : "Identity", doing, federation.Cluster.Id),
                InputValidationException validation => ErrorRecordFactory.FromValidation(validation),
                SetupPreconditionException precondition => ErrorRecordFactory.FromPrecondition(precondition, federation.Cluster.Id),
                _ => ErrorRecordFactory.FromUnexpected(failure, "AgentWorkloadIdentity", doing, federation.Cluster.Id),
            };
        }

        private static string Key(AgentSpec spec) => spec.IdentityId + "|" + spec.RoleDefinitionName + "|" + spec.Scope + "|" + spec.Location;

        private static AgentSpec Merge(IEnumerable<AgentSpec> specs)
        {
            List<AgentSpec> all = specs.ToList();
            AgentSpec first = all[0];
            // The same agent twice in the input is one federation, output twice.
            List<AgentFederation> federations = all.SelectMany(s => s.Federations)
                .GroupBy(f => f.CredentialName, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.First())
                .ToList();
            return new AgentSpec(first.IdentitySubscriptionId, first.IdentityResourceGroupName, first.IdentityName, first.RoleDefinitionName, first.Scope, federations, first.Location, first.Tags);
        }

        private sealed class Group
        {
            public Group(IReadOnlyList<int> rows, AgentSpec spec)
            {
                Rows = rows;
                Spec = spec;
            }

            public IReadOnlyList<int> Rows { get; }
            public AgentSpec Spec { get; }
            public ApplyResult? Result { get; set; }
            public Exception? Failure { get; set; }
            public volatile bool Done;
        }

        /// <summary>One progress bar over every step of every agent; each finished step moves it.</summary>
        private sealed class SetupProgress
        {
            private const string Activity = "Setting up agent workload identities";
            private readonly NewAgentWorkloadIdentityCommand _cmdlet;
            private readonly int _total;
            private int _done;

            public SetupProgress(NewAgentWorkloadIdentityCommand cmdlet, int total)
            {
                _cmdlet = cmdlet;
                _total = Math.Max(total, 1);
            }

            public void Report(ItemOutcome outcome)
            {
                int done = Interlocked.Increment(ref _done);
                string status = FindingAdvice.Words(outcome.Item.Kind) + " " + outcome.Action + ": " + (OutputMapper.LastSegment(outcome.ResourceId) ?? outcome.ResourceId);
                int percent = Math.Min(99, done * 100 / _total);
                _cmdlet.PostToPipeline(() => _cmdlet.WriteProgress(new ProgressRecord(1, Activity, status) { PercentComplete = percent }));
            }

            public void Complete() => _cmdlet.WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
