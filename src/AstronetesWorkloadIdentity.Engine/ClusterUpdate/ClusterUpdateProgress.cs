using System;

namespace AstronetesWorkloadIdentity.Engine
{
    public enum ClusterUpdateStage
    {
        /// <summary>Reading the cluster before changing it.</summary>
        Reading,
        /// <summary>Another operation runs on the cluster; the update waits for it (ARM refuses a second one with 409).</summary>
        WaitingForOtherOperation,
        /// <summary>The update was accepted and runs; the operation status is polled.</summary>
        Updating,
        /// <summary>Finished: the cluster reached a terminal state.</summary>
        Completed,
    }

    /// <summary>One step of a cluster update, for a progress bar or a log line.</summary>
    public sealed class ClusterUpdateProgress
    {
        internal ClusterUpdateProgress(ClusterUpdateStage stage, string clusterId, string? status, TimeSpan elapsed)
        {
            Stage = stage;
            ClusterId = clusterId;
            Status = status;
            Elapsed = elapsed;
        }

        public ClusterUpdateStage Stage { get; }
        public string ClusterId { get; }
        /// <summary>The operation's status (InProgress, Succeeded, ...) or the cluster's provisioning state, as ARM spells it.</summary>
        public string? Status { get; }
        /// <summary>Since the update was started (or the wait for a busy cluster began).</summary>
        public TimeSpan Elapsed { get; }
    }
}
