using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Session;

namespace AstronetesWorkloadIdentity.Completion
{
    /// <summary>
    /// Tab completion from ARM itself, only where the session is connected (Tab must never set off the default
    /// credential chain), bounded by a short timeout, and silent on any failure: a completer that throws or
    /// hangs is worse than one that offers nothing.
    /// </summary>
    internal static class ArmNameCompleter
    {
        internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

        /// <summary>Settable only so tests on a loaded machine can wait for a cold first call (token + JIT) to answer.</summary>
        internal static TimeSpan Timeout { get; set; } = DefaultTimeout;

        /// <summary>Names listed within the subscription given as -SubscriptionId, else the connection's default.</summary>
        public static IEnumerable<CompletionResult> Complete(
            IDictionary fakeBoundParameters,
            string? wordToComplete,
            Func<ArmRestClient, string, CancellationToken, Task<IEnumerable<string>>> listNames)
        {
            AgentSession? session = AgentSessionStore.Get(Runspace.DefaultRunspace);
            string? subscriptionId = fakeBoundParameters["SubscriptionId"] as string ?? session?.Connection.DefaultSubscription?.SubscriptionId;
            if (session == null || string.IsNullOrEmpty(subscriptionId))
            {
                return Enumerable.Empty<CompletionResult>();
            }

            ArmRestClient client = session.Connection.CreateClient();
            return TryCall(ct => listNames(client, subscriptionId!, ct), Timeout, out IEnumerable<string>? names)
                ? NameCompleter.Complete(names!.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase), wordToComplete)
                : Enumerable.Empty<CompletionResult>();
        }

        /// <summary>
        /// Runs an ARM call for at most <paramref name="timeout"/>. On time-out the call is cancelled, and its token source
        /// is disposed only once the call has finished with it: disposing it under a running call would also stop the
        /// source from ever cancelling, leaving the request to run on until the network timeout. False on time-out or failure.
        /// </summary>
        internal static bool TryCall<T>(Func<CancellationToken, Task<T>> call, TimeSpan timeout, out T? result)
            where T : class
        {
            result = null;
            var cancel = new CancellationTokenSource();
            Task<T> task = Task.Run(() => call(cancel.Token));
            bool finished;
            try
            {
                finished = task.Wait(timeout);
            }
            catch (AggregateException)
            {
                finished = true;
            }

            if (!finished)
            {
                try
                {
                    cancel.Cancel();
                }
                catch (AggregateException)
                {
                    // A cancellation callback failed; the call is abandoned either way.
                }

                task.ContinueWith((done, source) =>
                {
                    _ = done.Exception; // observed, so an abandoned call's failure is not reported as unobserved
                    ((CancellationTokenSource)source!).Dispose();
                }, cancel, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return false;
            }

            cancel.Dispose();
            if (task.Status != TaskStatus.RanToCompletion) return false;
            result = task.Result;
            return true;
        }
    }

    /// <summary>Completes -ResourceGroupName with the resource groups of the connected subscription.</summary>
    public sealed class ResourceGroupNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => ArmNameCompleter.Complete(fakeBoundParameters, wordToComplete, async (client, subscriptionId, ct) =>
                (await client.ListResourceGroupsAsync(subscriptionId, ct).ConfigureAwait(false)).Select(g => g.Name));
    }

    /// <summary>Completes -ClusterName with the AKS clusters of the -ResourceGroupName already typed, else of the whole subscription.</summary>
    public sealed class ClusterNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (fakeBoundParameters["ResourceGroupName"] is string resourceGroupName && resourceGroupName.Length > 0)
            {
                return ArmNameCompleter.Complete(fakeBoundParameters, wordToComplete, async (client, subscriptionId, ct) =>
                    (await client.ListManagedClustersAsync(subscriptionId, resourceGroupName, ct).ConfigureAwait(false)).Select(c => c.Name));
            }

            return ArmNameCompleter.Complete(fakeBoundParameters, wordToComplete, async (client, subscriptionId, ct) =>
                (await client.ListManagedClustersAsync(subscriptionId, ct).ConfigureAwait(false)).Select(c => c.Name));
        }
    }

    /// <summary>
    /// Completes -SubscriptionId with the subscriptions the connected credential can see; what is typed may be the
    /// start of the ID or of the subscription's name, and the list shows both.
    /// </summary>
    public sealed class SubscriptionIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            AgentSession? session = AgentSessionStore.Get(Runspace.DefaultRunspace);
            if (session == null)
            {
                return Enumerable.Empty<CompletionResult>();
            }

            ArmRestClient client = session.Connection.CreateClient();
            if (!ArmNameCompleter.TryCall(client.ListSubscriptionsAsync, ArmNameCompleter.Timeout, out IReadOnlyList<SubscriptionSummary>? subscriptions))
            {
                return Enumerable.Empty<CompletionResult>();
            }

            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return subscriptions!
                .Where(s => s.SubscriptionId.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || s.DisplayName.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .OrderBy(s => s.DisplayName, StringComparer.OrdinalIgnoreCase)
                .Select(s => new CompletionResult(s.SubscriptionId, s.ToString(), CompletionResultType.ParameterValue, s.ToString()))
                .ToList();
        }
    }
}
