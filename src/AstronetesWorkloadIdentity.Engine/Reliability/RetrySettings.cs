using System;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>The connection's retry bounds, as the engine's own retries (beyond Azure.Core's) read them.</summary>
    internal sealed class RetrySettings
    {
        public static readonly RetrySettings Default = From(new ArmConnectionOptions());

        private RetrySettings(int maxRetries, TimeSpan delay, TimeSpan maxDelay, TimeSpan maxTime, TimeSpan replicationTimeout, TimeSpan replicationDelay)
        {
            MaxRetries = maxRetries;
            Delay = delay;
            MaxDelay = maxDelay;
            MaxTime = maxTime;
            ReplicationTimeout = replicationTimeout;
            ReplicationDelay = replicationDelay;
        }

        public static RetrySettings From(ArmConnectionOptions o)
            => new RetrySettings(o.MaxRetries, o.RetryDelay, o.MaxRetryDelay, o.MaxRetryTime, o.PrincipalReplicationTimeout, o.PrincipalReplicationRetryDelay);

        public int MaxRetries { get; }
        public TimeSpan Delay { get; }
        public TimeSpan MaxDelay { get; }
        public TimeSpan MaxTime { get; }
        public TimeSpan ReplicationTimeout { get; }
        public TimeSpan ReplicationDelay { get; }
        /// <summary>Replication waits double up to this.</summary>
        public static readonly TimeSpan MaxReplicationDelay = TimeSpan.FromSeconds(30);
    }
}
