using System;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Why the engine waits before sending a request again.</summary>
    public enum RetryReason
    {
        /// <summary>429: ARM's or a provider's throttling; the wait honours Retry-After.</summary>
        Throttled,
        /// <summary>408, 500, 502, 503, 504: a transient server failure.</summary>
        TransientServerError,
        /// <summary>No response: a dropped connection, a reset, a timeout.</summary>
        NetworkFailure,
        /// <summary>PrincipalNotFound: a new identity is not yet known to role assignments (directory replication).</summary>
        PrincipalReplication,
        /// <summary>409 ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity: another writer holds the identity's credentials.</summary>
        ConcurrentCredentialWrite,
    }

    /// <summary>One wait before a retry: what failed, how long the engine waits, and its bound. Holds no header or body.</summary>
    public sealed class ArmRetryRecord
    {
        internal ArmRetryRecord(string method, string path, RetryReason reason, int status, string? errorCode, int nextAttempt, TimeSpan delay,
            TimeSpan? serverDelay, TimeSpan waited, TimeSpan limit)
        {
            Method = method;
            Path = path;
            Reason = reason;
            Status = status;
            ErrorCode = errorCode;
            NextAttempt = nextAttempt;
            Delay = delay;
            ServerDelay = serverDelay;
            Waited = waited;
            Limit = limit;
        }

        public string Method { get; }
        /// <summary>Path and query; never a token.</summary>
        public string Path { get; }
        public RetryReason Reason { get; }
        /// <summary>The failed attempt's HTTP status, 0 without a response.</summary>
        public int Status { get; }
        public string? ErrorCode { get; }
        /// <summary>The number of the attempt that follows the wait (2 for the first retry).</summary>
        public int NextAttempt { get; }
        /// <summary>How long the engine waits now.</summary>
        public TimeSpan Delay { get; }
        /// <summary>What the server asked for (Retry-After), if anything.</summary>
        public TimeSpan? ServerDelay { get; }
        /// <summary>Time spent on this request so far, attempts and waits included.</summary>
        public TimeSpan Waited { get; }
        /// <summary>The most time the engine spends on this request before it gives up.</summary>
        public TimeSpan Limit { get; }
    }

    /// <summary>
    /// Optionally implemented by an <see cref="IArmCallObserver"/>: told before each wait for a retry, on any thread.
    /// A separate interface so observers that only count calls need not change.
    /// </summary>
    public interface IArmRetryObserver
    {
        void OnRetry(ArmRetryRecord record);
    }
}
