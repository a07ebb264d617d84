using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AstronetesWorkloadIdentity.Engine.Kubernetes
{
    /// <summary>How the kubeconfig's user proves who it is to the API server.</summary>
    public enum KubeCredentialKind { Token, ClientCertificate, EntraId }

    /// <summary>
    /// The current context of a kubeconfig, as far as the exchange check needs it: the API server, the certificate
    /// authority it must chain to, and the user's credential. The token is held, never shown (<see cref="ToString"/>).
    /// </summary>
    public sealed class Kubeconfig
    {
        /// <summary>The AKS server application: an Entra token for it replaces kubelogin on Entra-integrated clusters.</summary>
        public const string AksServerApplicationId = "6dae42f8-4368-4678-94ff-3960e28e3630";

        private Kubeconfig(string context, Uri server, X509Certificate2Collection authority, KubeCredentialKind kind, string? token, string? entraServerId)
        {
            Context = context;
            Server = server;
            CertificateAuthority = authority;
            CredentialKind = kind;
            Token = token;
            EntraServerId = entraServerId;
        }

        public string Context { get; }
        public Uri Server { get; }
        public X509Certificate2Collection CertificateAuthority { get; }
        public KubeCredentialKind CredentialKind { get; }
        internal string? Token { get; }
        /// <summary>The --server-id of the kubelogin exec plugin (Entra-integrated clusters).</summary>
        public string? EntraServerId { get; }

        public override string ToString() => $"{Context} ({Server}, {CredentialKind})";

        /// <summary>Reads the current context. Anything it cannot use is a <see cref="KubeconfigException"/> naming what is missing.</summary>
        public static Kubeconfig Parse(string yaml)
        {
            var stream = new YamlStream();
            try { stream.Load(new StringReader(yaml)); }
            catch (YamlException e) { throw new KubeconfigException("The kubeconfig is not valid YAML: " + e.Message, e); }
            if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode root))
                throw new KubeconfigException("The kubeconfig is empty.");

            var contextName = Scalar(root, "current-context");
            var context = Named(root, "contexts", contextName, "context")
                          ?? throw new KubeconfigException($"The kubeconfig has no context '{contextName}'.");
            var clusterName = Scalar(context, "cluster");
            var userName = Scalar(context, "user");
            var cluster = Named(root, "clusters", clusterName, "cluster") ?? throw new KubeconfigException($"The kubeconfig has no cluster '{clusterName}'.");
            var user = Named(root, "users", userName, "user") ?? throw new KubeconfigException($"The kubeconfig has no user '{userName}'.");

            if (!Uri.TryCreate(Scalar(cluster, "server"), UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps)
                throw new KubeconfigException("The kubeconfig's server is not an https URL.");
            if (Scalar(cluster, "insecure-skip-tls-verify") == "true")
                throw new KubeconfigException("The kubeconfig sets insecure-skip-tls-verify; the check verifies the API server's certificate and will not skip it.");
            var caData = Scalar(cluster, "certificate-authority-data");
            if (string.IsNullOrEmpty(caData))
                throw new KubeconfigException("The kubeconfig's cluster has no certificate-authority-data, so the API server's certificate cannot be verified.");
            var authority = PemCertificates(Base64(caData!, "certificate-authority-data"));

            var token = Scalar(user, "token");
            if (!string.IsNullOrEmpty(token)) return new Kubeconfig(contextName!, server, authority, KubeCredentialKind.Token, token, null);
            if (user.Children.TryGetValue(new YamlScalarNode("exec"), out var execNode) && execNode is YamlMappingNode exec)
            {
                var args = exec.Children.TryGetValue(new YamlScalarNode("args"), out var a) && a is YamlSequenceNode seq
                    ? seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList() : new List<string>();
                var i = args.IndexOf("--server-id");
                var serverId = i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
                if (serverId == null)
                    throw new KubeconfigException($"The kubeconfig's user runs '{Scalar(exec, "command")}', which is not kubelogin for Entra ID (no --server-id).");
                return new Kubeconfig(contextName!, server, authority, KubeCredentialKind.EntraId, null, serverId);
            }
            if (!string.IsNullOrEmpty(Scalar(user, "client-certificate-data")))
                return new Kubeconfig(contextName!, server, authority, KubeCredentialKind.ClientCertificate, null, null);
            throw new KubeconfigException("The kubeconfig's user has no token, client certificate or Entra ID login.");
        }

        private static string? Scalar(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

        private static YamlMappingNode? Named(YamlMappingNode root, string list, string? name, string inner)
        {
            if (name == null || !root.Children.TryGetValue(new YamlScalarNode(list), out var node) || !(node is YamlSequenceNode seq)) return null;
            foreach (var item in seq.Children.OfType<YamlMappingNode>())
            {
                if (Scalar(item, "name") == name && item.Children.TryGetValue(new YamlScalarNode(inner), out var value) && value is YamlMappingNode m) return m;
            }
            return null;
        }

        private static byte[] Base64(string value, string field)
        {
            try { return Convert.FromBase64String(value); }
            catch (FormatException e) { throw new KubeconfigException($"The kubeconfig's {field} is not base64.", e); }
        }

        private static X509Certificate2Collection PemCertificates(byte[] pem)
        {
            var text = Encoding.ASCII.GetString(pem);
            var certificates = new X509Certificate2Collection();
            const string begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
            for (var at = text.IndexOf(begin, StringComparison.Ordinal); at >= 0; at = text.IndexOf(begin, at + 1, StringComparison.Ordinal))
            {
                var stop = text.IndexOf(end, at, StringComparison.Ordinal);
                if (stop < 0) break;
                var body = text.Substring(at + begin.Length, stop - at - begin.Length);
                try { certificates.Add(new X509Certificate2(Convert.FromBase64String(body))); }
                catch (Exception e) when (e is FormatException || e is System.Security.Cryptography.CryptographicException)
                {
                    throw new KubeconfigException("The kubeconfig's certificate-authority-data holds a certificate that cannot be read.", e);
                }
            }
            if (certificates.Count == 0) throw new KubeconfigException("The kubeconfig's certificate-authority-data holds no PEM certificate.");
            return certificates;
        }
    }

    public sealed class KubeconfigException : Exception
    {
        public KubeconfigException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
