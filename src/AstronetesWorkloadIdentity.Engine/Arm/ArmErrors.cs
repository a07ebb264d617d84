using System;
using System.Text;
using Azure;
using Azure.Identity;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Turns failed responses and transport or credential failures into ArmException.</summary>
    internal static class ArmErrors
    {
        internal const string AuthenticationFailed = "AuthenticationFailed";
        internal const string NetworkError = "NetworkError";
        internal const string InvalidResponse = "InvalidResponse";

        public static ArmException FromResponse(Response response, string resourceId)
        {
            ArmErrorBody.Read(response, out var code, out var message);
            var requestId = response.Headers.TryGetValue("x-ms-request-id", out var id) ? id : null;
            return new ArmException(response.Status, code, message, requestId, resourceId, new RequestFailedException(response));
        }

        public static ArmException FromException(Exception exception, string resourceId)
        {
            if (exception is AuthenticationFailedException || exception is CredentialUnavailableException)
            {
                // Azure.Identity messages name the failing credential and the AADSTS code, never the secret.
                return new ArmException(0, AuthenticationFailed, "Could not get a token for Azure Resource Manager: " + Flatten(exception), null, resourceId, exception);
            }
            return new ArmException(0, NetworkError, "Could not reach Azure Resource Manager: " + Flatten(exception), null, resourceId, exception);
        }

        public static ArmException InvalidBody(Response response, string resourceId, string why, Exception? inner = null)
        {
            var requestId = response.Headers.TryGetValue("x-ms-request-id", out var id) ? id : null;
            return new ArmException(response.Status, InvalidResponse, why, requestId, resourceId, inner);
        }

        /// <summary>The message chain, so a TLS or DNS cause deep inside is visible in one line.</summary>
        private static string Flatten(Exception exception)
        {
            var text = new StringBuilder();
            for (var current = exception; current != null; current = current.InnerException)
            {
                if (current is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
                {
                    current = aggregate.InnerExceptions[aggregate.InnerExceptions.Count - 1];
                }
                var message = current.Message.Trim();
                if (text.ToString().IndexOf(message, StringComparison.Ordinal) >= 0) continue;
                if (text.Length > 0) text.Append(" -> ");
                text.Append(message);
            }
            return text.ToString();
        }
    }
}
