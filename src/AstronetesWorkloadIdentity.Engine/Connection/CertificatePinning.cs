using System;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Trusts one extra certificate, named by its thumbprint, for a custom endpoint with a self-signed
    /// certificate (an emulator, Azure Stack). Normal validation still applies to everything else.
    /// </summary>
    internal static class CertificatePinning
    {
        internal const string ThumbprintRule = "the SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint of the server certificate; spaces and ':' are ignored";

        /// <summary>Upper-case hex without separators; InputValidationException when it is not a thumbprint.</summary>
        public static string Normalize(string thumbprint, string parameterName = "TrustedCertificateThumbprint")
        {
            var hex = new string((thumbprint ?? "").Where(c => !char.IsWhiteSpace(c) && c != ':' && c != '\u200e' && c != '\u200f').ToArray()).ToUpperInvariant();
            if ((hex.Length != 40 && hex.Length != 64) || !hex.All(Uri.IsHexDigit))
                throw new InputValidationException(parameterName, thumbprint ?? "", ThumbprintRule);
            return hex;
        }

        /// <param name="normalizedThumbprint">The pinned certificate; null = the system's validation only (the handler then just records rejections).</param>
        /// <param name="recorder">Remembers a rejected certificate so the error can name it; optional.</param>
        public static HttpClientHandler CreateHandler(string? normalizedThumbprint, RejectedCertificateRecorder? recorder = null)
        {
            return new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) =>
                {
                    var trusted = IsTrusted(certificate, errors, normalizedThumbprint);
                    if (!trusted) recorder?.Record(request?.RequestUri, certificate, errors);
                    return trusted;
                },
            };
        }

        internal static bool IsTrusted(X509Certificate2? certificate, SslPolicyErrors errors, string? normalizedThumbprint)
        {
            if (errors == SslPolicyErrors.None) return true;
            if (certificate == null || normalizedThumbprint == null) return false;
            return normalizedThumbprint.Length == 40
                ? string.Equals(certificate.Thumbprint, normalizedThumbprint, StringComparison.OrdinalIgnoreCase)
                : string.Equals(Sha256Hex(certificate), normalizedThumbprint, StringComparison.OrdinalIgnoreCase);
        }

        internal static string Sha256Hex(X509Certificate2 certificate)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(certificate.RawData);
            var text = new StringBuilder(hash.Length * 2);
            foreach (var b in hash) text.Append(b.ToString("X2"));
            return text.ToString();
        }
    }

    /// <summary>A server certificate the connection refused, for the error message; never a secret.</summary>
    internal sealed class RejectedCertificate
    {
        public RejectedCertificate(string endpoint, string? sha1, string? sha256, string? subject, SslPolicyErrors errors)
        {
            Endpoint = endpoint;
            Sha1 = sha1;
            Sha256 = sha256;
            Subject = subject;
            Errors = errors;
        }

        /// <summary>scheme://host:port/</summary>
        public string Endpoint { get; }
        public string? Sha1 { get; }
        public string? Sha256 { get; }
        public string? Subject { get; }
        public SslPolicyErrors Errors { get; }
    }

    /// <summary>The last certificate the pinning callback refused, per connection (the callback runs on any thread).</summary>
    internal sealed class RejectedCertificateRecorder
    {
        private RejectedCertificate? _last;

        public RejectedCertificate? Last => System.Threading.Volatile.Read(ref _last);

        public void Record(Uri? requestUri, X509Certificate2? certificate, SslPolicyErrors errors)
        {
            var endpoint = requestUri == null ? "(unknown endpoint)" : requestUri.GetLeftPart(UriPartial.Authority) + "/";
            string? sha1 = null, sha256 = null, subject = null;
            try
            {
                if (certificate != null)
                {
                    sha1 = certificate.Thumbprint?.ToUpperInvariant();
                    sha256 = CertificatePinning.Sha256Hex(certificate);
                    subject = certificate.Subject;
                }
            }
            catch (CryptographicException)
            {
                // A certificate we cannot read is still refused; the message just cannot name it.
            }
            System.Threading.Volatile.Write(ref _last, new RejectedCertificate(endpoint, sha1, sha256, subject, errors));
        }
    }
}
