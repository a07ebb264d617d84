using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Azure.Core's retry policy (it decides what is retriable: 408, 429, 500, 502, 503, 504 and transport failures, for
    /// every method: our writes are PUTs and DELETEs under deterministic names, so repeating one is safe), with:
    /// backoff with jitter that honours Retry-After; a bound on the total time one request may take, waits included;
    /// each wait told to the message's observer (<see cref="IArmRetryObserver"/>) before it starts; and no retry of a failed
    /// TLS handshake, which fails the same way every time. Used by the ARM pipeline and the credential's token pipeline.
    /// </summary>
    internal sealed class ArmRetryPolicy : RetryPolicy
    {
        private const string StartedProperty = "AstronetesWorkloadIdentity.RetryStarted";
        private const string RetriesProperty = "AstronetesWorkloadIdentity.Retries";
        // The delay decided in ShouldRetry, read back by the delay strategy that Azure.Core asks next (same async flow).
        private static readonly AsyncLocal<TimeSpan?> Planned = new AsyncLocal<TimeSpan?>();

        private readonly TimeSpan _delay;
        private readonly TimeSpan _maxDelay;
        private readonly TimeSpan _maxElapsed;

        public ArmRetryPolicy(int maxRetries, TimeSpan delay, TimeSpan maxDelay, TimeSpan maxElapsed)
            : base(maxRetries, new PlannedDelay(delay, maxDelay))
        {
            _delay = delay;
            _maxDelay = maxDelay;
            _maxElapsed = maxElapsed;
        }

        protected override void OnSendingRequest(HttpMessage message)
        {
            if (!message.TryGetProperty(StartedProperty, out _)) message.SetProperty(StartedProperty, Stopwatch.StartNew());
        }

        protected override ValueTask OnSendingRequestAsync(HttpMessage message)
        {
            OnSendingRequest(message);
            return default;
        }

        protected override bool ShouldRetry(HttpMessage message, Exception? exception)
            => !TransportFailures.IsTlsFailure(exception) && base.ShouldRetry(message, exception) && Plan(message, exception);

        // Azure.Core's own async decision is the synchronous one; deciding synchronously keeps Planned in the caller's flow.
        protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) => new ValueTask<bool>(ShouldRetry(message, exception));

        private bool Plan(HttpMessage message, Exception? exception)
        {
            var response = message.HasResponse ? message.Response : null;
            var server = RetryBackoff.ServerDelay(response);
            var retry = (message.TryGetProperty(RetriesProperty, out var count) && count is int n ? n : 0) + 1;
            var delay = RetryBackoff.Next(retry, _delay, _maxDelay, server);
            var elapsed = message.TryGetProperty(StartedProperty, out var started) && started is Stopwatch watch ? watch.Elapsed : TimeSpan.Zero;
            // Bounded in total time as well as in count: a wait that would pass the bound is not started.
            if (elapsed + delay > _maxElapsed) return false;
            Planned.Value = delay;
            message.SetProperty(RetriesProperty, retry);
            if (message.TryGetProperty(ArmCallObserverPolicy.ObserverProperty, out var value) && value is IArmRetryObserver observer)
            {
                var status = response?.Status ?? 0;
                var reason = status == 429 ? RetryReason.Throttled : status == 0 ? RetryReason.NetworkFailure : RetryReason.TransientServerError;
                var code = response == null ? null : ArmErrorBody.TryReadCode(response);
                var record = new ArmRetryRecord(message.Request.Method.Method, message.Request.Uri.PathAndQuery, reason, status, code ?? exception?.GetType().Name,
                    retry + 1, delay, server, elapsed, _maxElapsed);
                try
                {
                    observer.OnRetry(record);
                }
                catch (Exception)
                {
                    // Diagnostics only: an observer's failure must not change the retry.
                }
            }
            return true;
        }

        private sealed class PlannedDelay : DelayStrategy
        {
            private readonly TimeSpan _delay;
            private readonly TimeSpan _maxDelay;

            // No jitter and no cap here: the planned delay already has both, and Retry-After is honoured in full.
            public PlannedDelay(TimeSpan delay, TimeSpan maxDelay) : base(TimeSpan.FromDays(1), 0)
            {
                _delay = delay;
                _maxDelay = maxDelay;
            }

            protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber)
            {
                var planned = Planned.Value;
                Planned.Value = null;
                return planned ?? RetryBackoff.Next(retryNumber, _delay, _maxDelay, RetryBackoff.ServerDelay(response));
            }
        }
    }
}
