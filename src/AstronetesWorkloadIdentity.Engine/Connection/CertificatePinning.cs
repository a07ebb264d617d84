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

        public static HttpClientHandler CreateHandler(string normalizedThumbprint)
        {
            return new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => IsTrusted(certificate, errors, normalizedThumbprint),
            };
        }

        internal static bool IsTrusted(X509Certificate2? certificate, SslPolicyErrors errors, string normalizedThumbprint)
        {
            if (errors == SslPolicyErrors.None) return true;
            if (certificate == null) return false;
            return normalizedThumbprint.Length == 40
                ? string.Equals(certificate.Thumbprint, normalizedThumbprint, StringComparison.OrdinalIgnoreCase)
                : string.Equals(Sha256Hex(certificate), normalizedThumbprint, StringComparison.OrdinalIgnoreCase);
        }

        private static string Sha256Hex(X509Certificate2 certificate)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(certificate.RawData);
            var text = new StringBuilder(hash.Length * 2);
            foreach (var b in hash) text.Append(b.ToString("X2"));
            return text.ToString();
        }
    }
}
