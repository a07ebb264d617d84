using System;
using System.Text;
using Azure;
using Azure.Identity;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>What the error mapping knows about the connection a request went through (no secret in it).</summary>
    internal sealed class ConnectionContext
    {
        public ConnectionContext(AzureCloudEnvironment cloud, string? pinnedThumbprint, RejectedCertificateRecorder? recorder, int maxRetries, RetrySettings? retry = null)
        {
            Retry = retry ?? RetrySettings.Default;
            Cloud = cloud;
            PinnedThumbprint = pinnedThumbprint;
            Recorder = recorder;
            MaxRetries = maxRetries;
        }

        public AzureCloudEnvironment Cloud { get; }
        /// <summary>Normalised (upper-case hex), or null when nothing is pinned.</summary>
        public string? PinnedThumbprint { get; }
        public RejectedCertificateRecorder? Recorder { get; }
        public int MaxRetries { get; }
        public RetrySettings Retry { get; }
    }

    /// <summary>Turns failed responses and transport or credential failures into ArmException.</summary>
    internal static class ArmErrors
    {
        internal const string AuthenticationFailed = "AuthenticationFailed";
        internal const string NetworkError = "NetworkError";
        internal const string InvalidResponse = "InvalidResponse";
        internal const string ServerCertificateUntrusted = "ServerCertificateUntrusted";
        internal const string TlsHandshakeFailed = "TlsHandshakeFailed";
        internal const string AuthorityUnavailable = "AuthorityUnavailable";

        /// <summary>ARM's x-ms-request-id, the handle Azure support asks for; null when the response has none.</summary>
        public static string? RequestIdOf(Response response)
            => response.Headers.TryGetValue("x-ms-request-id", out var id) ? id : null;

        public static ArmException FromResponse(Response response, string resourceId)
        {
            ArmErrorBody.Read(response, out var code, out var message);
            return new ArmException(response.Status, code, message, RequestIdOf(response), resourceId, new RequestFailedException(response));
        }

        public static ArmException FromException(Exception exception, string resourceId, ConnectionContext? context = null)
        {
            var credentialFailure = exception is AuthenticationFailedException || exception is CredentialUnavailableException;
            if (TransportFailures.IsTlsFailure(exception)) return TlsFailure(exception, resourceId, context, credentialFailure);
            if (credentialFailure && TransportFailures.AuthorityUnavailableStatus(exception) is int status)
            {
                var authority = context?.Cloud.AuthorityHost.AbsoluteUri ?? "the sign-in authority";
                var retries = context == null ? "" : " after " + context.MaxRetries + (context.MaxRetries == 1 ? " retry" : " retries");
                return new ArmException(0, AuthorityUnavailable,
                    "The sign-in authority " + authority + " was unavailable (HTTP " + status + (status == 429 ? ", throttled" : "") + ")" + retries
                    + ", so no token for Azure Resource Manager could be obtained. This is not a problem with the credential or the sign-in: try again later"
                    + " (for Microsoft Entra ID, see https://azure.status.microsoft). Cause: " + WithPeriod(Flatten(exception)), null, resourceId, exception);
            }
            if (credentialFailure)
            {
                // Azure.Identity messages name the failing credential and the AADSTS code, never the secret.
                return new ArmException(0, AuthenticationFailed, "Could not get a token for Azure Resource Manager: " + Flatten(exception), null, resourceId, exception);
            }
            return new ArmException(0, NetworkError, "Could not reach Azure Resource Manager: " + Flatten(exception), null, resourceId, exception);
        }

        public static ArmException InvalidBody(Response response, string resourceId, string why, Exception? inner = null)
        {
            return new ArmException(response.Status, InvalidResponse, why, RequestIdOf(response), resourceId, inner);
        }

        /// <summary>
        /// A TLS handshake that failed (never retried). With the certificate the pinning callback refused, the message
        /// names the endpoint, the presented and the pinned thumbprints, and the way out; validation is never switched off.
        /// </summary>
        private static ArmException TlsFailure(Exception exception, string resourceId, ConnectionContext? context, bool duringSignIn)
        {
            var rejected = context?.Recorder?.Last;
            var pinned = context?.PinnedThumbprint;
            var endpoint = rejected?.Endpoint
                           ?? (context == null ? null : (duringSignIn ? context.Cloud.AuthorityHost : context.Cloud.ResourceManagerEndpoint).AbsoluteUri)
                           ?? (duringSignIn ? "the sign-in authority" : "Azure Resource Manager");
            var text = new StringBuilder();
            if (rejected == null && exception.ToString().IndexOf("certificate", StringComparison.OrdinalIgnoreCase) < 0)
            {
                text.Append("The TLS handshake with ").Append(endpoint).Append(" failed, so no request was sent (not retried: it fails the same way every time). Cause: ")
                    .Append(WithPeriod(Flatten(exception)));
                return new ArmException(0, TlsHandshakeFailed, text.ToString(), null, resourceId, exception);
            }

            text.Append("The server certificate of ").Append(endpoint).Append(" is not trusted, so no request was sent")
                .Append(duringSignIn ? " (while getting a token)" : "").Append("; this is not retried because it fails the same way every time.");
            if (rejected != null)
            {
                text.Append(" The server presented ");
                if (rejected.Subject != null) text.Append("'").Append(rejected.Subject).Append("' ");
                text.Append("with SHA-1 thumbprint ").Append(rejected.Sha1 ?? "(unreadable)");
                if (rejected.Sha256 != null) text.Append(" (SHA-256 ").Append(rejected.Sha256).Append(')');
                text.Append("; the system's validation reported ").Append(rejected.Errors).Append('.');
            }
            else
            {
                text.Append(" Cause: ").Append(WithPeriod(Flatten(exception)));
            }
            if (pinned != null)
            {
                text.Append(" The pinned thumbprint (-TrustedCertificateThumbprint) is ").Append(pinned).Append(", which does not match.")
                    .Append(" Pass the thumbprint of this endpoint's real certificate with -TrustedCertificateThumbprint, after checking it with the endpoint's owner")
                    .Append(" (a thumbprint that changed unexpectedly can mean someone is intercepting the connection).");
            }
            else
            {
                text.Append(" No thumbprint is pinned (-TrustedCertificateThumbprint). If this is a custom endpoint with its own certificate (an emulator, Azure Stack Hub),")
                    .Append(" pass that certificate's thumbprint with -TrustedCertificateThumbprint after checking it with the endpoint's owner;")
                    .Append(" otherwise check the machine's trusted root certificates and any proxy that intercepts TLS.");
            }
            text.Append(" Certificate validation is never switched off.");
            return new ArmException(0, ServerCertificateUntrusted, text.ToString(), null, resourceId, exception);
        }

        private static string WithPeriod(string text) => text.EndsWith(".", StringComparison.Ordinal) ? text : text + ".";

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
