using System;
using System.Collections.Generic;
using System.Security.Authentication;
using Azure;

namespace AstronetesWorkloadIdentity.Engine
{
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
