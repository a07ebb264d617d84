using System;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Turns on a cluster's OIDC issuer and workload identity the way <c>az aks update --enable-oidc-issuer
    /// --enable-workload-identity</c> does: GET the whole cluster, set the two profiles, PUT it back, then poll
    /// Azure-AsyncOperation (ARM-CONTRACT.md, "Clusters"). The issuer cannot be turned off again.
    /// </summary>
    public sealed class WorkloadIdentityEnabler
    {
        /// <summary>ARM's code for a write to a cluster that is busy with another operation (HTTP 409).</summary>
        public const string BusyErrorCode = "OperationNotAllowed";

        /// <summary>What the approval is asked for; says that the issuer stays on for good.</summary>
        public const string EnableAction = "Enable the OIDC issuer and workload identity (the OIDC issuer cannot be turned off again)";

        private readonly ArmRestClient _client;
        private readonly AgentSetupWorkflow _workflow;
        private readonly ClusterUpdateOptions _options;

        public WorkloadIdentityEnabler(ArmRestClient client, ClusterUpdateOptions? options = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _workflow = new AgentSetupWorkflow(client);
            _options = options ?? new ClusterUpdateOptions();
            _options.Validate();
        }

        /// <summary>
        /// Sends the update and returns once ARM accepted it (or found nothing to do). A cluster busy with another
        /// operation is waited for, up to <see cref="ClusterUpdateOptions.BusyTimeout"/>, instead of failing.
        /// </summary>
        /// <param name="approve">Asked once, just before the PUT, with the cluster ID and <see cref="EnableAction"/>; not asked when there is nothing to change.</param>
        public async Task<ClusterUpdate> StartAsync(string subscriptionId, string resourceGroupName, string clusterName, WriteApproval approve,
            IProgress<ClusterUpdateProgress>? progress, CancellationToken ct)
        {
            if (approve == null) throw new ArgumentNullException(nameof(approve));
            InputValidator.SubscriptionId(subscriptionId);
            InputValidator.ResourceGroupName(resourceGroupName);
            InputValidator.ClusterName(clusterName);
            var clusterId = ArmResourceId.ManagedCluster(subscriptionId, resourceGroupName, clusterName);
            Func<CancellationToken, Task<ClusterReadiness>> readCluster = c => _workflow.CheckClusterAsync(subscriptionId, resourceGroupName, clusterName, c);
            var delays = _options.CreateDelayStrategy();
            Stopwatch? busySince = null;
            var busyPolls = 0;
            var approved = false;

            progress?.Report(new ClusterUpdateProgress(ClusterUpdateStage.Reading, clusterId, null, TimeSpan.Zero));
            while (true)
            {
                var document = await _client.GetManagedClusterDocumentAsync(clusterId, ct).ConfigureAwait(false);
                var cluster = document.Cluster;
                var state = cluster.ProvisioningState;
                if (cluster.OidcIssuerEnabled && cluster.WorkloadIdentityEnabled)
                {
                    if (ProvisioningStates.IsAtRest(state))
                    {
                        var readiness = await _workflow.CheckClusterAsync(subscriptionId, resourceGroupName, clusterName, ct).ConfigureAwait(false);
                        return ClusterUpdate.Unnecessary(readiness, _options);
                    }
                    // Already asked for (by someone else, or an earlier -NoWait): follow that operation, write nothing.
                    return ClusterUpdate.Running(cluster, false, new ClusterUpdateOperation(_client, clusterId, null, document.Response, readCluster), _options);
                }

                // A write now would only earn 409 OperationNotAllowed: wait for the running operation first.
                if (!ProvisioningStates.IsAtRest(state))
                {
                    busySince ??= Stopwatch.StartNew();
                    await WaitWhileBusyAsync(clusterId, state, busySince, ++busyPolls, delays, progress, null, ct).ConfigureAwait(false);
                    continue;
                }

                if (!approved)
                {
                    if (!approve(clusterId, EnableAction))
                    {
                        var unchanged = await _workflow.CheckClusterAsync(subscriptionId, resourceGroupName, clusterName, ct).ConfigureAwait(false);
                        return ClusterUpdate.Declined(unchanged, _options);
                    }
                    approved = true;
                }

                EnableProfiles(document.Body);
                try
                {
                    var put = await _client.PutManagedClusterAsync(clusterId, document.Body, ct).ConfigureAwait(false);
                    progress?.Report(new ClusterUpdateProgress(ClusterUpdateStage.Updating, clusterId, put.Cluster.ProvisioningState, TimeSpan.Zero));
                    return ClusterUpdate.Running(cluster, true, new ClusterUpdateOperation(_client, clusterId, put.StatusUrl, put.Response, readCluster), _options);
                }
                catch (ArmException e) when (e.Status == 409 && e.ErrorCode == BusyErrorCode)
                {
                    // Another operation started between our GET and PUT.
                    busySince ??= Stopwatch.StartNew();
                    await WaitWhileBusyAsync(clusterId, state, busySince, ++busyPolls, delays, progress, e, ct).ConfigureAwait(false);
                }
            }
        }

        private async Task WaitWhileBusyAsync(string clusterId, string? state, Stopwatch busySince, int poll, Azure.Core.DelayStrategy delays,
            IProgress<ClusterUpdateProgress>? progress, ArmException? refusal, CancellationToken ct)
        {
            if (busySince.Elapsed >= _options.BusyTimeout)
            {
                throw new ArmException(409, BusyErrorCode,
                    "The cluster is still busy with another operation (provisioning state '" + (state ?? "unknown") + "') after waiting "
                    + Minutes(_options.BusyTimeout) + "; nothing was changed. Try again when that operation has finished."
                    + (refusal == null ? "" : " ARM said: " + refusal.ArmMessage),
                    refusal?.RequestId, clusterId, refusal);
            }
            progress?.Report(new ClusterUpdateProgress(ClusterUpdateStage.WaitingForOtherOperation, clusterId, state, busySince.Elapsed));
            var delay = delays.GetNextDelay(null, poll);
            var left = _options.BusyTimeout - busySince.Elapsed;
            await Task.Delay(delay < left ? delay : (left > TimeSpan.Zero ? left : TimeSpan.Zero), ct).ConfigureAwait(false);
        }

        /// <summary>Sets exactly the two switches az sets and leaves every other property as ARM returned it.</summary>
        internal static void EnableProfiles(JsonObject body)
        {
            var properties = Child(body, "properties");
            Child(properties, "oidcIssuerProfile")["enabled"] = true;
            Child(Child(properties, "securityProfile"), "workloadIdentity")["enabled"] = true;
        }

        private static JsonObject Child(JsonObject parent, string name)
        {
            // ARM's JSON is case-insensitive on input; reuse the key as it came back.
            foreach (var property in parent)
            {
                if (string.Equals(property.Key, name, StringComparison.OrdinalIgnoreCase) && property.Value is JsonObject existing) return existing;
            }
            var created = new JsonObject();
            parent[name] = created;
            return created;
        }

        private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1 ? Math.Round(span.TotalMinutes, 1) + " minutes" : Math.Round(span.TotalSeconds, 1) + " seconds";
    }
}
