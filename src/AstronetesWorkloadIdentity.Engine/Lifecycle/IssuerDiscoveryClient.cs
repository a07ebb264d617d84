using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Reads an issuer's OpenID discovery document, as Entra ID does during token exchange. Its pipeline carries no
    /// credential: the issuer is a third party and must never see the ARM token.
    /// </summary>
    public sealed class IssuerDiscoveryClient
    {
        private readonly HttpPipeline _pipeline;
        private readonly IArmCallObserver? _observer;

        internal IssuerDiscoveryClient(HttpPipeline anonymousPipeline, IArmCallObserver? observer)
        {
            _pipeline = anonymousPipeline;
            _observer = observer;
        }

        public static string DocumentUrl(string issuerUrl) => (issuerUrl.EndsWith("/", StringComparison.Ordinal) ? issuerUrl : issuerUrl + "/") + ".well-known/openid-configuration";

        public async Task<DiscoveredIssuer> ReadAsync(string issuerUrl, CancellationToken ct)
        {
            InputValidator.IssuerUrl(issuerUrl);
            var url = DocumentUrl(issuerUrl);
            using var message = _pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(new Uri(url));
            message.Request.Headers.Add("Accept", "application/json");
            if (_observer != null) message.SetProperty(ArmCallObserverPolicy.ObserverProperty, _observer);
            try
            {
                await _pipeline.SendAsync(message, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                return new DiscoveredIssuer(url, null, ex.GetType().Name + ": " + ex.Message);
            }
            var response = message.Response;
            if (response.Status != 200) return new DiscoveredIssuer(url, null, "HTTP " + response.Status + " " + response.ReasonPhrase);
            try
            {
                using var doc = JsonDocument.Parse(response.Content.ToMemory());
                var issuer = doc.RootElement.ValueKind == JsonValueKind.Object ? ArmJson.String(doc.RootElement, "issuer") : null;
                return issuer == null ? new DiscoveredIssuer(url, null, "the document has no 'issuer'.") : new DiscoveredIssuer(url, issuer, null);
            }
            catch (JsonException)
            {
                return new DiscoveredIssuer(url, null, "the answer is not JSON.");
            }
        }
    }
}
