using System;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// A started (or unnecessary) cluster update. Wait for it, or leave it running: ARM finishes it either way.
    /// No Azure.Core type is exposed, so cmdlets can hold it without loading Azure.Core themselves.
    /// </summary>
    public sealed class ClusterUpdate
    {
        private readonly ClusterUpdateOperation? _operation;
        private readonly ClusterUpdateOptions _options;
        private readonly ClusterReadiness? _unchanged;

        private ClusterUpdate(ManagedCluster before, bool started, ClusterUpdateOperation? operation, ClusterReadiness? unchanged, ClusterUpdateOptions options)
        {
            Before = before;
            Started = started;
            _operation = operation;
            _unchanged = unchanged;
            _options = options;
        }

        internal static ClusterUpdate Unnecessary(ClusterReadiness readiness, ClusterUpdateOptions options)
            => new ClusterUpdate(readiness.Cluster, false, null, readiness, options);

        internal static ClusterUpdate Declined(ClusterReadiness readiness, ClusterUpdateOptions options)
            => new ClusterUpdate(readiness.Cluster, false, null, readiness, options) { WasDeclined = true };

        internal static ClusterUpdate Running(ManagedCluster before, bool started, ClusterUpdateOperation operation, ClusterUpdateOptions options)
            => new ClusterUpdate(before, started, operation, null, options);

        /// <summary>The cluster as it was read before anything was changed.</summary>
        public ManagedCluster Before { get; }

        /// <summary>True when this call sent the update; false when both features were already on (possibly still being applied by someone else).</summary>
        public bool Started { get; }

        /// <summary>The approval said no (-WhatIf, or No at -Confirm): nothing was sent and the readiness is the cluster as it is.</summary>
        public bool WasDeclined { get; private set; }

        /// <summary>The Azure-AsyncOperation URL that reports the update, or null when there is none to follow.</summary>
        public string? OperationId => _operation?.Id;

        public bool HasCompleted => _operation == null || _operation.HasCompleted;

        /// <summary>
        /// Polls until the cluster is at rest (delays double from FirstPollDelay to MaxPollDelay, or follow ARM's
        /// Retry-After) and returns its fresh readiness. A failed or canceled update is an ArmException.
        /// </summary>
        public async Task<ClusterReadiness> WaitForCompletionAsync(IProgress<ClusterUpdateProgress>? progress, CancellationToken ct)
        {
            if (_operation == null) return _unchanged!;
            _operation.Report = progress == null ? null : (Action<ClusterUpdateProgress>)progress.Report;
            try
            {
                return await _operation.WaitForCompletionAsync(_options.CreateDelayStrategy(), ct).ConfigureAwait(false);
            }
            finally
            {
                _operation.Report = null;
            }
        }
    }
}
