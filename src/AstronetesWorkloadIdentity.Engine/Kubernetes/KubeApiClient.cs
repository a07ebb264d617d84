using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace AstronetesWorkloadIdentity.Engine.Kubernetes
{
    /// <summary>
    /// The few Kubernetes API calls the exchange check makes (service accounts, TokenRequest, pods), typed, over an Azure.Core
    /// pipeline whose transport trusts only the kubeconfig's certificate authority (docs/design/kubernetes-calls.md says why
    /// not the official client). Failures are <see cref="KubernetesApiException"/>s.
    /// </summary>
    internal sealed class KubeApiClient : IDisposable
    {
        private readonly HttpPipeline _pipeline;
        private readonly HttpClientTransport _transport;
        private readonly Uri _server;

        private KubeApiClient(HttpPipeline pipeline, HttpClientTransport transport, Uri server)
        {
            _pipeline = pipeline;
            _transport = transport;
            _server = server;
        }

        /// <param name="entraCredential">For an Entra-integrated cluster: the credential that gets a token for the AKS server application.</param>
        public static KubeApiClient Create(Kubeconfig config, TokenCredential? entraCredential)
        {
            var transport = new HttpClientTransport(ClusterCertificateValidation.CreateHandler(config.CertificateAuthority));
            var options = new KubeClientOptions { Transport = transport };
            options.Retry.MaxRetries = 3;
            options.Retry.Delay = TimeSpan.FromMilliseconds(500);
            HttpPipelinePolicy auth;
            switch (config.CredentialKind)
            {
                case KubeCredentialKind.Token:
                    auth = new StaticBearerPolicy(config.Token!);
                    break;
                case KubeCredentialKind.EntraId:
                    if (entraCredential == null) throw new KubeconfigException("The cluster uses Entra ID; a credential is needed for the AKS server application.");
                    auth = new BearerTokenAuthenticationPolicy(entraCredential, (config.EntraServerId ?? Kubeconfig.AksServerApplicationId) + "/.default");
                    break;
                default:
                    // netstandard2.0 cannot load a PEM private key; AKS kubeconfigs carry a token beside a client certificate.
                    throw new KubeconfigException("The kubeconfig's user has only a client certificate; use one with a token (AKS's admin and user kubeconfigs carry one) or an Entra-integrated cluster.");
            }
            var pipeline = HttpPipelineBuilder.Build(options, Array.Empty<HttpPipelinePolicy>(), new[] { auth }, new ResponseClassifier());
            return new KubeApiClient(pipeline, transport, config.Server);
        }

        public Task GetNamespaceAsync(string ns, CancellationToken ct) => SendAsync(RequestMethod.Get, $"/api/v1/namespaces/{ns}", null, null, ct);

        /// <summary>Null when the service account does not exist (the namespace missing is an error).</summary>
        public async Task<KubeServiceAccount?> GetServiceAccountAsync(string ns, string name, CancellationToken ct)
        {
            try
            {
                using var doc = await SendAsync(RequestMethod.Get, $"/api/v1/namespaces/{ns}/serviceaccounts/{name}", null, null, ct).ConfigureAwait(false);
                return ServiceAccount(doc.RootElement);
            }
            catch (KubernetesApiException e) when (e.Status == 404 && e.Message.StartsWith("serviceaccounts", StringComparison.Ordinal))
            {
                return null;
            }
        }

        public async Task<KubeServiceAccount> CreateServiceAccountAsync(string ns, string name, IReadOnlyDictionary<string, string> annotations, CancellationToken ct)
        {
            var body = Json(w =>
            {
                w.WriteString("apiVersion", "v1");
                w.WriteString("kind", "ServiceAccount");
                w.WriteStartObject("metadata");
                w.WriteString("name", name);
                w.WriteString("namespace", ns);
                w.WriteStartObject("annotations");
                foreach (var a in annotations) w.WriteString(a.Key, a.Value);
                w.WriteEndObject();
                w.WriteEndObject();
            });
            using var doc = await SendAsync(RequestMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts", body, "application/json", ct).ConfigureAwait(false);
            return ServiceAccount(doc.RootElement);
        }

        /// <summary>TokenRequest: a short-lived token for the service account, for <paramref name="audience"/>.</summary>
        public async Task<KubeServiceAccountToken> RequestTokenAsync(string ns, string name, string audience, int expirationSeconds, CancellationToken ct)
        {
            var body = Json(w =>
            {
                w.WriteString("apiVersion", "authentication.k8s.io/v1");
                w.WriteString("kind", "TokenRequest");
                w.WriteStartObject("spec");
                w.WriteStartArray("audiences");
                w.WriteStringValue(audience);
                w.WriteEndArray();
                w.WriteNumber("expirationSeconds", expirationSeconds);
                w.WriteEndObject();
            });
            using var doc = await SendAsync(RequestMethod.Post, $"/api/v1/namespaces/{ns}/serviceaccounts/{name}/token", body, "application/json", ct).ConfigureAwait(false);
            var status = doc.RootElement.TryGetProperty("status", out var s) ? s : default;
            var token = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("token", out var t) ? t.GetString() : null;
            if (string.IsNullOrEmpty(token)) throw new KubernetesApiException(201, null, "The TokenRequest answer has no status.token.");
            DateTimeOffset? expires = status.TryGetProperty("expirationTimestamp", out var e) && DateTimeOffset.TryParse(e.GetString(),
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var x) ? x : (DateTimeOffset?)null;
            return new KubeServiceAccountToken(token!, expires);
        }

        /// <summary>The pods of a namespace that run as <paramref name="serviceAccount"/> (field selector spec.serviceAccountName).</summary>
        public async Task<IReadOnlyList<KubePod>> ListPodsAsync(string ns, string serviceAccount, CancellationToken ct)
        {
            var path = $"/api/v1/namespaces/{ns}/pods?fieldSelector={Uri.EscapeDataString("spec.serviceAccountName=" + serviceAccount)}";
            using var doc = await SendAsync(RequestMethod.Get, path, null, null, ct).ConfigureAwait(false);
            var pods = new List<KubePod>();
            if (!doc.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array) return pods;
            foreach (var item in items.EnumerateArray())
            {
                var metadata = item.GetProperty("metadata");
                var env = new Dictionary<string, string>(StringComparer.Ordinal);
                var volumes = new List<string>();
                if (item.TryGetProperty("spec", out var spec))
                {
                    if (spec.TryGetProperty("containers", out var containers) && containers.ValueKind == JsonValueKind.Array)
                        foreach (var c in containers.EnumerateArray())
                            if (c.TryGetProperty("env", out var envs) && envs.ValueKind == JsonValueKind.Array)
                                foreach (var v in envs.EnumerateArray())
                                {
                                    var n = v.TryGetProperty("name", out var nn) ? nn.GetString() : null;
                                    if (n != null && !env.ContainsKey(n)) env[n] = v.TryGetProperty("value", out var vv) ? vv.GetString() ?? "" : "";
                                }
                    if (spec.TryGetProperty("volumes", out var vols) && vols.ValueKind == JsonValueKind.Array)
                        volumes.AddRange(vols.EnumerateArray().Select(v => v.TryGetProperty("name", out var vn) ? vn.GetString() ?? "" : ""));
                }
                DateTimeOffset? created = metadata.TryGetProperty("creationTimestamp", out var ts) && ts.ValueKind == JsonValueKind.String
                    && DateTimeOffset.TryParse(ts.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var c0) ? c0 : (DateTimeOffset?)null;
                pods.Add(new KubePod(metadata.GetProperty("name").GetString() ?? "", created, Map(metadata, "labels"), env, volumes));
            }
            return pods;
        }

        public void Dispose() => _transport.Dispose();

        private async Task<JsonDocument> SendAsync(RequestMethod method, string pathAndQuery, byte[]? body, string? contentType, CancellationToken ct)
        {
            using var message = _pipeline.CreateMessage();
            message.Request.Method = method;
            // The server may carry a path (a proxy, or the emulator): append to it.
            message.Request.Uri.Reset(new Uri(_server.AbsoluteUri.TrimEnd('/') + pathAndQuery));
            message.Request.Headers.Add("Accept", "application/json");
            if (body != null)
            {
                message.Request.Headers.Add("Content-Type", contentType ?? "application/json");
                message.Request.Content = RequestContent.Create(body);
            }
            try
            {
                await _pipeline.SendAsync(message, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is RequestFailedException || e is IOException || e is System.Net.Http.HttpRequestException || e is AuthenticationFailedException)
            {
                if (Contains<System.Security.Authentication.AuthenticationException>(e))
                    throw new KubernetesApiException(0, "CertificateUntrusted",
                        $"The API server {_server} presented a certificate that does not chain to the kubeconfig's certificate-authority-data (or does not name the server); the connection was refused.", e);
                throw new KubernetesApiException(0, e is AuthenticationFailedException ? "Unauthorized" : null,
                    $"The cluster's API server {_server} did not answer: {Inner(e).Message}", e);
            }
            var response = message.Response;
            JsonDocument? doc = null;
            try { doc = JsonDocument.Parse(response.Content.ToMemory()); }
            catch (JsonException) { }
            if (response.Status >= 200 && response.Status < 300 && doc != null) return doc;
            using (doc)
            {
                var root = doc?.RootElement;
                string? S(string name) => root is JsonElement r && r.ValueKind == JsonValueKind.Object && r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                throw new KubernetesApiException(response.Status, S("reason"), S("message") ?? $"{response.Status} {response.ReasonPhrase}");
            }
        }

        private static bool Contains<T>(Exception? e) where T : Exception
        {
            for (; e != null; e = e.InnerException) if (e is T) return true;
            return false;
        }

        private static Exception Inner(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        private static KubeServiceAccount ServiceAccount(JsonElement root)
        {
            var metadata = root.GetProperty("metadata");
            return new KubeServiceAccount(metadata.GetProperty("namespace").GetString() ?? "", metadata.GetProperty("name").GetString() ?? "",
                Map(metadata, "labels"), Map(metadata, "annotations"));
        }

        private static IReadOnlyDictionary<string, string> Map(JsonElement metadata, string name)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (metadata.TryGetProperty(name, out var o) && o.ValueKind == JsonValueKind.Object)
                foreach (var p in o.EnumerateObject()) map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText();
            return map;
        }

        private static byte[] Json(Action<Utf8JsonWriter> write)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                write(w);
                w.WriteEndObject();
            }
            return stream.ToArray();
        }

        private sealed class KubeClientOptions : ClientOptions { }

        /// <summary>The kubeconfig's static token as the bearer header (Azure.Core's logging redacts Authorization).</summary>
        private sealed class StaticBearerPolicy : HttpPipelineSynchronousPolicy
        {
            private readonly string _header;
            public StaticBearerPolicy(string token) => _header = "Bearer " + token;
            public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("Authorization", _header);
        }
    }
}
