using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using AstronetesWorkloadIdentity.Diagnostics;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;
using AstronetesWorkloadIdentity.Output;
using AstronetesWorkloadIdentity.Session;
using AstronetesWorkloadIdentity.Threading;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// What every cmdlet of the module shares: the runspace's connection, engine calls on the thread pool with
    /// stream writes and ShouldProcess marshalled back to the pipeline thread, Ctrl+C, and exception mapping.
    /// Engine types appear only inside method bodies, so importing the module never loads the engine.
    /// </summary>
    public abstract class AgentCmdletBase : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly PipelineThreadQueue _pipelineThread = new PipelineThreadQueue();
        private Runspace? _runspace;
        private bool _subscriptionSourceReported;
        private bool _subscriptionsListed;
        // What GET /subscriptions answered when nothing named a subscription; null when not asked or it failed.
        private IReadOnlyList<SubscriptionSummary>? _visibleSubscriptions;

        protected override void BeginProcessing()
        {
            // On the pipeline thread this is the runspace running the command, whichever host it is.
            _runspace = Runspace.DefaultRunspace;
        }

        protected override void StopProcessing()
        {
            _stopping.Cancel();
        }

        internal Runspace? CurrentRunspace => _runspace ?? Runspace.DefaultRunspace;

        /// <summary>The runspace's connection, or the default one; terminating when even that cannot be built.</summary>
        internal AgentSession GetSession()
        {
            try
            {
                return AgentSessionStore.GetOrCreate(CurrentRunspace, AgentSession.CreateDefault);
            }
            catch (InputValidationException e)
            {
                ThrowTerminatingError(ErrorRecordFactory.FromValidation(e));
                throw;
            }
            catch (Exception e) when (!IsFatal(e))
            {
                ThrowTerminatingError(ErrorRecordFactory.FromUnexpected(e, "Connection", "Preparing the default Azure connection (AzureCloud, default credential chain)", null));
                throw;
            }
        }

        /// <summary>One client per invocation, reporting each ARM call as a verbose line.</summary>
        internal ArmRestClient CreateClient()
        {
            return GetSession().Connection.CreateClient(CreateObserver());
        }

        /// <summary>Hands a stream write (progress, warning) from engine callbacks to the pipeline thread.</summary>
        internal void PostToPipelineThread(Action write) => _pipelineThread.Post(write);

        /// <param name="readDiscovery">Also read each cluster's discovery document (Test-, Repair-): one more request per cluster.</param>
        internal AgentLifecycle CreateLifecycle(bool readDiscovery)
        {
            var observer = CreateObserver();
            var connection = GetSession().Connection;
            return new AgentLifecycle(connection.CreateClient(observer), discovery: readDiscovery ? connection.CreateDiscoveryClient(observer) : null);
        }

        /// <summary>Output, after the format views are loaded (once per runspace): they are not loaded at import.</summary>
        internal new void WriteObject(object? sendToPipeline)
        {
            FormatViews.EnsureLoaded(this, CurrentRunspace);
            base.WriteObject(sendToPipeline);
        }

        /// <inheritdoc cref="WriteObject(object?)"/>
        internal new void WriteObject(object? sendToPipeline, bool enumerateCollection)
        {
            FormatViews.EnsureLoaded(this, CurrentRunspace);
            base.WriteObject(sendToPipeline, enumerateCollection);
        }

        /// <summary>Each ARM call and retry as a verbose line; a wait for a retry also as progress (activity 9), completed when calls resume.</summary>
        private VerboseArmCallObserver CreateObserver() => new VerboseArmCallObserver(
            line => _pipelineThread.Post(() => WriteVerbose(line)),
            wait => _pipelineThread.Post(() => WriteProgress(wait == null
                ? new ProgressRecord(WaitActivityId, "Waiting for Azure", "Resumed") { RecordType = ProgressRecordType.Completed }
                : new ProgressRecord(WaitActivityId, "Waiting for Azure", VerboseArmCallObserver.Describe(wait.Reason) + " (attempt " + wait.NextAttempt + ")")
                {
                    SecondsRemaining = (int)Math.Ceiling(wait.Delay.TotalSeconds),
                    PercentComplete = (int)Math.Min(99, 100 * wait.Waited.TotalSeconds / Math.Max(1, wait.Limit.TotalSeconds)),
                })));

        private const int WaitActivityId = 9;

        /// <summary>Queues a stream write (progress, output in input order) for the pipeline thread from engine work.</summary>
        internal void PostToPipeline(Action action) => _pipelineThread.Post(action);

        /// <summary>The engine asks before each write; the answer must come from the pipeline thread.</summary>
        internal WriteApproval CreateApproval() => (resourceId, action) => _pipelineThread.Invoke(() => AskToWrite(resourceId, action));

        /// <summary>
        /// ShouldProcess, except that a prompt no one can answer (no UI, redirected input, -NonInteractive) becomes
        /// <see cref="PromptUnavailableException"/> rather than whatever the host throws (a HostException, or a
        /// NullReferenceException from a host whose UI is missing), so it is not reported as a failed ARM call.
        /// </summary>
        internal bool AskToWrite(string target, string action)
        {
            try
            {
                return ShouldProcess(target, action);
            }
            catch (Exception e) when (e is System.Management.Automation.Host.HostException || e is PSInvalidOperationException
                                      || e is NullReferenceException || e is NotImplementedException || e is NotSupportedException)
            {
                throw new PromptUnavailableException(target, action, e);
            }
        }

        /// <summary>
        /// For a step fed a previewed object: every write it would make becomes a "What if:" line naming the previewed
        /// identity, and is declined.
        /// </summary>
        internal WriteApproval CreatePreviewApproval(string identityId) => (resourceId, action) => _pipelineThread.Invoke(() =>
        {
            WriteWhatIfLine(resourceId, action + " (managed identity '" + identityId + "', previewed with -WhatIf)");
            return false;
        });

        /// <summary>Runs engine work while pumping its callbacks; Ctrl+C cancels it and stops the pipeline.</summary>
        internal T Await<T>(Func<CancellationToken, Task<T>> work)
        {
            Runspace? runspace = CurrentRunspace;
            if (FormatViews.Pending(runspace))
            {
                // The session's first engine call: load the format views on the pipeline thread while the call is in flight.
                Func<CancellationToken, Task<T>> inner = work;
                work = ct =>
                {
                    _pipelineThread.Post(() => FormatViews.EnsureLoaded(this, runspace));
                    return inner(ct);
                };
            }

            try
            {
                return _pipelineThread.Run(work, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>The explicit subscription, else the connection's default (saying once where it came from), else null.</summary>
        internal string? ResolveSubscriptionId(string? explicitSubscriptionId)
        {
            if (!string.IsNullOrEmpty(explicitSubscriptionId))
            {
                return explicitSubscriptionId;
            }

            ResolvedSubscription? resolved = GetSession().Connection.DefaultSubscription ?? DiscoverSubscription();
            if (resolved != null && !_subscriptionSourceReported)
            {
                _subscriptionSourceReported = true;
                WriteVerbose("Using subscription " + resolved.SubscriptionId + " from " + resolved.Source + ".");
            }

            return resolved?.SubscriptionId;
        }

        /// <summary>
        /// Nothing names a subscription: the only one the credential can see becomes the connection's default. Asked once
        /// per command; a failure leaves the SubscriptionIdMissing error to say what to pass, with the reason in -Verbose.
        /// </summary>
        internal ResolvedSubscription? DiscoverSubscription()
        {
            if (_subscriptionsListed) return null;
            _subscriptionsListed = true;
            ArmConnection connection = GetSession().Connection;
            try
            {
                ArmRestClient client = CreateClient();
                _visibleSubscriptions = Await(ct => connection.DiscoverDefaultSubscriptionAsync(client, ct));
            }
            catch (ArmException e)
            {
                WriteVerbose("Listing the subscriptions the credential can see failed: " + ErrorRecordFactory.Describe(e));
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !(e is OperationCanceledException) && !IsFatal(e))
            {
                WriteVerbose("Listing the subscriptions the credential can see failed: " + e.Message);
            }

            return connection.DefaultSubscription;
        }

        internal IReadOnlyList<SubscriptionSummary>? VisibleSubscriptions => _visibleSubscriptions;

        /// <summary>"The credential can see 2 subscriptions: id (name), id (name)." or "" when they were not listed.</summary>
        internal static string DescribeVisible(IReadOnlyList<SubscriptionSummary>? visible)
        {
            if (visible == null) return "";
            if (visible.Count == 0) return " The credential can see no enabled subscription.";
            return " The credential can see " + visible.Count + " subscriptions: " + string.Join(", ", visible.Select(v => v.ToString())) + ".";
        }

        /// <summary>
        /// True under -WhatIf, or $WhatIfPreference when -WhatIf was not given: ShouldProcess then only previews.
        /// Lets a step that cannot happen (its prerequisite was declined) stay silent under -Confirm yet still show in a preview.
        /// </summary>
        internal bool IsWhatIf
        {
            get
            {
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? bound) && bound is SwitchParameter whatIf)
                {
                    return whatIf.IsPresent;
                }

                object? preference = SessionState.PSVariable.GetValue("WhatIfPreference");
                return LanguagePrimitives.IsTrue(preference);
            }
        }

        /// <summary>
        /// The "What if:" line ShouldProcess prints, for a step that is not itself under -WhatIf but received a previewed
        /// object: what it would do is part of the preview, and it writes nothing (there is nothing yet to write to).
        /// </summary>
        internal void WriteWhatIfLine(string target, string action)
        {
            Host?.UI?.WriteLine("What if: Performing the operation \"" + action + "\" on target \"" + target + "\".");
        }

        /// <summary>The connection's tenant, for output whose resource was not read from ARM (-WhatIf or declined); null when unknown.</summary>
        internal string? ConnectionTenantId() => GetSession().Connection.TenantId;

        internal ErrorRecord SubscriptionMissing(string target) => ErrorRecordFactory.Problem(
            "SubscriptionIdMissing",
            ErrorCategory.InvalidArgument,
            "No subscription is known for '" + target + "'." + DescribeVisible(_visibleSubscriptions),
            target,
            "Pass -SubscriptionId, run Connect-AgentAzure -SubscriptionId, set AZURE_SUBSCRIPTION_ID, or choose one with 'az account set'.");

        /// <summary>
        /// The cluster a record names, with its subscription resolved (the given one, else the connection's default); null
        /// after writing the error when a name breaks the engine's rules or no subscription is known, before any ARM call.
        /// Checked per record: values bound by property name from the pipeline arrive only now. An empty subscription (as
        /// piped objects may carry) means the default.
        /// </summary>
        internal ClusterRef? TryResolveCluster(string resourceGroupName, string clusterName, string? subscriptionId)
        {
            string? given = string.IsNullOrEmpty(subscriptionId) ? null : subscriptionId;
            if (!TryValidate(() => InputValidator.ResourceGroupName(resourceGroupName), "ResourceGroupName")
                || !TryValidate(() => InputValidator.ClusterName(clusterName), "ClusterName")
                || (given != null && !TryValidate(() => InputValidator.SubscriptionId(given), "SubscriptionId")))
            {
                return null;
            }

            string? resolved = ResolveSubscriptionId(given);
            if (resolved == null)
            {
                WriteError(SubscriptionMissing(clusterName));
                return null;
            }

            ClusterRef? cluster = null;
            return TryValidate(() => cluster = new ClusterRef(resolved, resourceGroupName, clusterName)) ? cluster : null;
        }

        /// <summary>
        /// Validates input with the engine's rules; on failure writes the error (non-terminating: other pipeline
        /// items may be fine) and returns false, before any ARM call.
        /// </summary>
        internal bool TryValidate(Action check, string? errorNoun = null, string? advice = null)
        {
            try
            {
                check();
                return true;
            }
            catch (InputValidationException e)
            {
                WriteError(ErrorRecordFactory.FromValidation(e, errorNoun, advice: advice));
                return false;
            }
        }

        /// <summary>
        /// For a value given on the command line, checked in BeginProcessing: PowerShell begins every command of a pipeline
        /// before any record flows, so a wrong value anywhere in the line stops the whole line before its first ARM request.
        /// </summary>
        internal void ValidateOrStop(Action check, string? errorNoun = null, string? advice = null)
        {
            try
            {
                check();
            }
            catch (InputValidationException e)
            {
                ThrowTerminatingError(ErrorRecordFactory.FromValidation(e, errorNoun, advice: advice));
            }
        }

        /// <summary>Runs one step for one input item; failures become a non-terminating error and a null result.</summary>
        internal T? TryStep<T>(StepDescription step, Func<CancellationToken, Task<T>> work)
            where T : class
        {
            try
            {
                return Await(work);
            }
            catch (InputValidationException e)
            {
                WriteError(ErrorRecordFactory.FromValidation(e));
            }
            catch (ArmException e) when (step.IsAnswer != null && step.IsAnswer(e))
            {
                WriteVerbose(step.Doing + ": " + ErrorRecordFactory.Describe(e));
            }
            catch (ArmException e)
            {
                WriteError(ErrorRecordFactory.FromArm(e, step.Noun, step.Doing, step.TargetId, step.AlreadyDone, step.RecommendedActionFor?.Invoke(e), step.ResourceGroupFrom, step.SubscriptionFrom, step.Outcome));
            }
            catch (SetupPreconditionException e)
            {
                WriteError(ErrorRecordFactory.FromPrecondition(e, step.TargetId, step.AlreadyDone));
            }
            catch (PromptUnavailableException e)
            {
                // Every later write would ask again and fail the same way: stop the whole line here.
                ThrowTerminatingError(ErrorRecordFactory.FromPromptUnavailable(e, step.AlreadyDone));
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !(e is OperationCanceledException) && !IsFatal(e))
            {
                WriteError(ErrorRecordFactory.FromUnexpected(e, step.Noun, step.Doing, step.TargetId, step.AlreadyDone));
            }

            return null;
        }

        private static bool IsFatal(Exception e) => e is OutOfMemoryException || e is StackOverflowException || e is ThreadAbortException;
    }
}
