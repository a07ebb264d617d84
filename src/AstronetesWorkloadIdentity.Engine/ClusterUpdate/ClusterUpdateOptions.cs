using System;
using Azure.Core;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>How a cluster update is polled and how long a busy cluster is waited for.</summary>
    public sealed class ClusterUpdateOptions
    {
        /// <summary>The first wait between polls; it doubles up to <see cref="MaxPollDelay"/>. A Retry-After from ARM wins when longer.</summary>
        public TimeSpan FirstPollDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>AKS updates take minutes; polling more often than this only spends the read quota.</summary>
        public TimeSpan MaxPollDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// How long a cluster busy with another operation (409 OperationNotAllowed, or a non-terminal provisioning state)
        /// is waited for before giving up. An AKS upgrade can run for an hour.
        /// </summary>
        public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromMinutes(60);

        internal DelayStrategy CreateDelayStrategy() => DelayStrategy.CreateExponentialDelayStrategy(FirstPollDelay, MaxPollDelay);

        internal void Validate()
        {
            if (FirstPollDelay < TimeSpan.Zero) throw new InputValidationException("FirstPollDelay", FirstPollDelay.ToString(), "zero or more");
            if (MaxPollDelay < FirstPollDelay) throw new InputValidationException("MaxPollDelay", MaxPollDelay.ToString(), "at least FirstPollDelay");
            if (BusyTimeout < TimeSpan.Zero) throw new InputValidationException("BusyTimeout", BusyTimeout.ToString(), "zero or more");
        }
    }
}
