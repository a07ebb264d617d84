using System;
using System.Globalization;
using System.Threading;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Diagnostics
{
    /// <summary>
    /// Turns each ARM call, and each wait before a retry, into one verbose line; a wait is also shown as progress while it
    /// lasts. The records hold no header or body, so no token or secret can reach them.
    /// </summary>
    internal sealed class VerboseArmCallObserver : IArmCallObserver, IArmRetryObserver
    {
        private readonly Action<string> _writeLine;
        private readonly Action<ArmRetryRecord?>? _showWait;
        private int _waiting;

        /// <param name="writeLine">Called on any thread; must hand the line to the pipeline thread.</param>
        /// <param name="showWait">Called on any thread with each wait, and with null once calls resume; null for no progress.</param>
        public VerboseArmCallObserver(Action<string> writeLine, Action<ArmRetryRecord?>? showWait = null)
        {
            _writeLine = writeLine;
            _showWait = showWait;
        }

        public void OnCall(ArmCallRecord record)
        {
            _writeLine(Format(record));
            if (_showWait != null && Interlocked.Exchange(ref _waiting, 0) == 1) _showWait(null);
        }

        public void OnRetry(ArmRetryRecord record)
        {
            _writeLine(Format(record));
            if (_showWait != null)
            {
                Interlocked.Exchange(ref _waiting, 1);
                _showWait(record);
            }
        }

        internal static string Format(ArmCallRecord record)
        {
            string status = record.Status == 0 ? "no response" : record.Status.ToString(CultureInfo.InvariantCulture);
            string line = string.Format(
                CultureInfo.InvariantCulture,
                "ARM {0} {1} -> {2}{3} in {4:0} ms, request ID {5}",
                record.Method,
                record.Path,
                status,
                record.ErrorCode == null ? "" : " " + record.ErrorCode,
                record.Duration.TotalMilliseconds,
                record.RequestId ?? "(none)");
            return record.Attempt > 1 ? line + string.Format(CultureInfo.InvariantCulture, " (attempt {0})", record.Attempt) : line;
        }

        internal static string Format(ArmRetryRecord record)
        {
            var server = record.ServerDelay.HasValue
                ? string.Format(CultureInfo.InvariantCulture, ", Retry-After {0:0.#} s", record.ServerDelay.Value.TotalSeconds)
                : "";
            return string.Format(
                CultureInfo.InvariantCulture,
                "ARM {0} {1}: {2} ({3}{4}); attempt {5} in {6:0.0} s{7}, {8:0} s of at most {9:0} s spent",
                record.Method,
                record.Path,
                Describe(record.Reason),
                record.Status == 0 ? "no response" : record.Status.ToString(CultureInfo.InvariantCulture),
                record.ErrorCode == null ? "" : " " + record.ErrorCode,
                record.NextAttempt,
                record.Delay.TotalSeconds,
                server,
                record.Waited.TotalSeconds,
                record.Limit.TotalSeconds);
        }

        internal static string Describe(RetryReason reason) => reason switch
        {
            RetryReason.Throttled => "throttled by Azure, waiting",
            RetryReason.TransientServerError => "transient server error, retrying",
            RetryReason.NetworkFailure => "no answer, retrying",
            RetryReason.PrincipalReplication => "the new identity is not yet replicated to role assignments, waiting",
            RetryReason.ConcurrentCredentialWrite => "another write to this identity's federated credentials is in progress, waiting",
            _ => reason.ToString(),
        };
    }
}
