using System;
using System.Collections.Generic;
using System.Security.Authentication;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Azure.Core's retry policy, except that a failed TLS handshake (an untrusted server certificate, a wrong pinned
    /// thumbprint) is not retried: it fails the same way every time, and retrying only made the user wait ~23 seconds.
    /// Used by the ARM pipeline and by the credential's token pipeline.
    /// </summary>
    internal sealed class NoTlsRetryPolicy : RetryPolicy
    {
        public NoTlsRetryPolicy(int maxRetries, TimeSpan delay, TimeSpan maxDelay)
            : base(maxRetries, DelayStrategy.CreateExponentialDelayStrategy(delay, maxDelay))
        {
        }

        protected override bool ShouldRetry(HttpMessage message, Exception? exception)
            => !TransportFailures.IsTlsFailure(exception) && base.ShouldRetry(message, exception);

        protected override async ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception)
            => !TransportFailures.IsTlsFailure(exception) && await base.ShouldRetryAsync(message, exception).ConfigureAwait(false);
    }

    internal static class TransportFailures
    {
        /// <summary>The exception chain (aggregates included), outermost first.</summary>
        public static IEnumerable<Exception> Chain(Exception? exception)
        {
            for (var current = exception; current != null; current = current.InnerException)
            {
                yield return current;
                if (current is AggregateException aggregate)
                {
                    foreach (var inner in aggregate.InnerExceptions)
                        foreach (var nested in Chain(inner))
                            yield return nested;
                }
            }
        }

        /// <summary>True when a TLS handshake failed (System.Security.Authentication.AuthenticationException somewhere in the chain).</summary>
        public static bool IsTlsFailure(Exception? exception)
        {
            foreach (var e in Chain(exception))
                if (e is AuthenticationException) return true;
            return false;
        }

        /// <summary>
        /// The HTTP status of an unavailable authority (5xx, or 429 throttling) behind a credential failure, else null:
        /// MSAL's MsalServiceException.StatusCode, or a RequestFailedException's status. Read by name so the engine
        /// does not bind to MSAL's types.
        /// </summary>
        public static int? AuthorityUnavailableStatus(Exception exception)
        {
            foreach (var e in Chain(exception))
            {
                int? status = null;
                if (e is RequestFailedException failed) status = failed.Status;
                else if (IsMsalServiceException(e.GetType()))
                    status = e.GetType().GetProperty("StatusCode")?.GetValue(e) as int?;
                if (status.HasValue && (status.Value >= 500 || status.Value == 429)) return status;
            }
            return null;
        }

        private static bool IsMsalServiceException(Type? type)
        {
            for (; type != null; type = type.BaseType)
                if (type.FullName == "Microsoft.Identity.Client.MsalServiceException") return true;
            return false;
        }
    }
}
