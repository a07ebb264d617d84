using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AstronetesWorkloadIdentity.Engine.Kubernetes
{
    /// <summary>
    /// The API server's certificate must chain to the kubeconfig's certificate-authority-data and name the server: the
    /// kubeconfig's CA is the only trust anchor (a publicly trusted certificate that does not chain to it is refused too).
    /// Never skipped.
    /// </summary>
    internal static class ClusterCertificateValidation
    {
        public static HttpClientHandler CreateHandler(X509Certificate2Collection authority) => new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, authority),
        };

        internal static bool IsTrusted(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2Collection authority)
        {
            if (certificate == null) return false;
            if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            // netstandard2.0 has no custom trust store: build with the CA as an extra certificate, allow an unknown root,
            // then require that the root reached is exactly one of the kubeconfig's CA certificates.
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.ChainPolicy.ExtraStore.AddRange(authority);
            if (!chain.Build(certificate)) return false;
            var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
            return authority.Cast<X509Certificate2>().Any(ca => ca.RawData.SequenceEqual(root.RawData));
        }
    }
}
