using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Retries an idempotent ARM write (a PUT or DELETE under a deterministic name) that failed with an answer Azure.Core
    /// does not retry but that goes away by itself: PrincipalNotFound while Entra ID replicates a new principal, 409 while
    /// another writer holds an identity's credentials. Bounded in count and time; each wait told to the observer first.
    /// </summary>
    internal static class ConditionRetry
    {
        public const string PrincipalNotFound = "PrincipalNotFound";
        public const string ConcurrentCredentialWrites = "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity";

        public static async Task<T> RunAsync<T>(Func<Task<T>> attempt, string method, string path, RetrySettings settings, IArmCallObserver? observer, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            for (var retry = 1; ; retry++)
            {
                try
                {
                    return await attempt().ConfigureAwait(false);
                }
                catch (ArmException ex) when (Classify(ex) is RetryReason reason)
                {
                    if (!(Wait(reason, retry, settings, watch.Elapsed) is TimeSpan delay))
                    {
                        if (retry == 1) throw;
                        // Say that it was retried and for how long, so the user knows waiting longer is the remedy, not a fix.
                        throw new ArmException(ex.Status, ex.ErrorCode, ex.ArmMessage + " (Still failing after " + retry + " attempts over "
                            + Math.Round(watch.Elapsed.TotalSeconds) + " s; the bound is " + Math.Round(Limit(reason, settings).TotalSeconds) + " s.)",
                            ex.RequestId, ex.ResourceId, ex);
                    }
                    if (observer is IArmRetryObserver retries)
                    {
                        var limit = Limit(reason, settings);
                        try
                        {
                            retries.OnRetry(new ArmRetryRecord(method, path, reason, ex.Status, ex.ErrorCode, retry + 1, delay, null, watch.Elapsed, limit));
                        }
                        catch (Exception)
                        {
                            // Diagnostics only.
                        }
                    }
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
            }
        }

        internal static RetryReason? Classify(ArmException ex)
        {
            if (ex.Status == 400 && ex.ErrorCode == PrincipalNotFound) return RetryReason.PrincipalReplication;
            if (ex.Status == 409 && ex.ErrorCode == ConcurrentCredentialWrites) return RetryReason.ConcurrentCredentialWrite;
            return null;
        }

        private static TimeSpan Limit(RetryReason reason, RetrySettings settings)
            => reason == RetryReason.PrincipalReplication ? settings.ReplicationTimeout : settings.MaxTime;

        /// <summary>The wait before retry number <paramref name="retry"/>, or null when the bound is reached.</summary>
        private static TimeSpan? Wait(RetryReason reason, int retry, RetrySettings settings, TimeSpan elapsed)
        {
            TimeSpan delay, limit;
            if (reason == RetryReason.PrincipalReplication)
            {
                // Bounded by time only: replication takes as long as it takes, up to the timeout.
                delay = RetryBackoff.Next(retry, settings.ReplicationDelay, RetrySettings.MaxReplicationDelay, null);
                limit = settings.ReplicationTimeout;
            }
            else
            {
                if (retry > Math.Max(settings.MaxRetries, 1) * 2) return null;
                delay = RetryBackoff.Next(retry, settings.Delay, settings.MaxDelay, null);
                limit = settings.MaxTime;
            }
            if (elapsed >= limit) return null;
            // The last wait is shortened to end at the bound, so the final try happens at it rather than never.
            return elapsed + delay > limit ? limit - elapsed : delay;
        }
    }
}
