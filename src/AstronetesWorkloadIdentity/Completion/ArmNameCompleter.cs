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
        internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

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

            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                ArmRestClient client = session.Connection.CreateClient();
                Task<IEnumerable<string>> names = Task.Run(() => listNames(client, subscriptionId!, timeout.Token));
                return names.Wait(Timeout) ? NameCompleter.Complete(names.Result.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), wordToComplete) : Enumerable.Empty<CompletionResult>();
            }
            catch (Exception e) when (e is AggregateException || e is ArmException || e is InputValidationException || e is OperationCanceledException)
            {
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }

    /// <summary>Completes -ResourceGroupName with the resource groups of the connected subscription.</summary>
    public sealed class ResourceGroupNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => ArmNameCompleter.Complete(fakeBoundParameters, wordToComplete, async (client, subscriptionId, ct) =>
                (await client.ListResourceGroupsAsync(subscriptionId, ct).ConfigureAwait(false)).Select(g => g.Name));
    }

    /// <summary>Completes -ClusterName with the AKS clusters of the -ResourceGroupName already typed.</summary>
    public sealed class ClusterNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (!(fakeBoundParameters["ResourceGroupName"] is string resourceGroupName) || resourceGroupName.Length == 0)
            {
                return Enumerable.Empty<CompletionResult>();
            }

            return ArmNameCompleter.Complete(fakeBoundParameters, wordToComplete, async (client, subscriptionId, ct) =>
                (await client.ListManagedClustersAsync(subscriptionId, resourceGroupName, ct).ConfigureAwait(false)).Select(c => c.Name));
        }
    }
}
