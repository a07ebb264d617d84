using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Reports each HTTP attempt to the observer of the client that sent it. The pipeline is shared by
    /// every client of a connection, so the observer travels on the message, not on the policy.
    /// Runs per retry, after the bearer policy, so token acquisition is not timed as an ARM call.
    /// </summary>
    internal sealed class ArmCallObserverPolicy : HttpPipelinePolicy
    {
        internal const string ObserverProperty = "AstronetesWorkloadIdentity.Observer";
        private const string AttemptProperty = "AstronetesWorkloadIdentity.Attempt";

        public static ArmCallObserverPolicy Shared { get; } = new ArmCallObserverPolicy();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var observer = Begin(message, out var attempt);
            var stopwatch = Stopwatch.StartNew();
            try
            {
                ProcessNext(message, pipeline);
            }
            finally
            {
                Report(observer, message, attempt, stopwatch.Elapsed);
            }
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var observer = Begin(message, out var attempt);
            var stopwatch = Stopwatch.StartNew();
            try
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            finally
            {
                Report(observer, message, attempt, stopwatch.Elapsed);
            }
        }

        /// <summary>
        /// Numbers <paramref name="retry"/>'s attempts after <paramref name="original"/>'s: a retry with another
        /// api-version is a new message but the same request, so the observer sees it as attempt 2, not a new call.
        /// </summary>
        internal static void ContinueAttempts(HttpMessage original, HttpMessage retry)
        {
            if (original.TryGetProperty(AttemptProperty, out var attempts) && attempts is int count) retry.SetProperty(AttemptProperty, count);
        }

        private static IArmCallObserver? Begin(HttpMessage message, out int attempt)
        {
            attempt = message.TryGetProperty(AttemptProperty, out var previous) && previous is int count ? count + 1 : 1;
            message.SetProperty(AttemptProperty, attempt);
            return message.TryGetProperty(ObserverProperty, out var value) ? value as IArmCallObserver : null;
        }

        private static void Report(IArmCallObserver? observer, HttpMessage message, int attempt, TimeSpan duration)
        {
            if (observer == null) return;
            var status = 0;
            string? requestId = null;
            string? errorCode = null;
            if (message.HasResponse)
            {
                var response = message.Response;
                status = response.Status;
                requestId = ArmErrors.RequestIdOf(response);
                errorCode = ArmErrorBody.TryReadCode(response);
            }
            var record = new ArmCallRecord(message.Request.Method.Method, message.Request.Uri.PathAndQuery, status, requestId, errorCode, duration, attempt);
            try
            {
                observer.OnCall(record);
            }
            catch (Exception)
            {
                // An observer is diagnostics only; its failure must not fail, or retry, the ARM call.
            }
        }
    }
}
