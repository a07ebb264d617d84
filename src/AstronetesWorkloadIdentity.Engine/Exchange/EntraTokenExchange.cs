using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine.Exchange
{
    /// <summary>What Entra ID answered to the agent's client-credentials request. The access token is internal and never shown.</summary>
    public sealed class EntraExchangeResult
    {
        internal EntraExchangeResult(string accessToken)
        {
            AccessToken = accessToken;
            Claims = TokenClaims.Read(accessToken);
        }

        internal EntraExchangeResult(int status, string? error, int? code, string? description)
        {
            Status = status;
            Error = error;
            Code = code;
            Description = description;
        }

        public bool Succeeded => AccessToken != null;
        internal string? AccessToken { get; }
        public TokenClaims? Claims { get; }
        public int Status { get; }
        /// <summary>invalid_client, invalid_request ...</summary>
        public string? Error { get; }
        /// <summary>The AADSTS number (70021, 700211 ...).</summary>
        public int? Code { get; }
        /// <summary>Entra's error_description (no secret in it: it names issuer, subject, audience).</summary>
        public string? Description { get; }
    }

    /// <summary>
    /// Exactly what the agent's Azure SDK does in its pod: POST {authority}/{tenant}/oauth2/v2.0/token, client_credentials,
    /// with the service-account token as a jwt-bearer client_assertion and the identity's client ID, for ARM's scope.
    /// Raw, not through Azure.Identity, so the AADSTS code comes back as Entra sent it.
    /// </summary>
    internal static class EntraTokenExchange
    {
        public static async Task<EntraExchangeResult> ExchangeAsync(ArmConnection connection, string tenantId, string clientId, string assertion, CancellationToken ct)
        {
            var options = new ExchangeClientOptions();
            if (connection.Transport != null) options.Transport = connection.Transport;
            options.Retry.MaxRetries = 3;
            var pipeline = HttpPipelineBuilder.Build(options);
            using var message = pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Post;
            message.Request.Uri.Reset(new Uri(connection.Cloud.AuthorityHost, tenantId + "/oauth2/v2.0/token"));
            message.Request.Headers.Add("Content-Type", "application/x-www-form-urlencoded");
            message.Request.Headers.Add("Accept", "application/json");
            var form = new[]
            {
                ("grant_type", "client_credentials"), ("client_id", clientId), ("scope", connection.Cloud.DefaultScope),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion),
            };
            message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(string.Join("&", form.Select(f => f.Item1 + "=" + Uri.EscapeDataString(f.Item2)))));
            try
            {
                await pipeline.SendAsync(message, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is RequestFailedException || e is IOException || e is System.Net.Http.HttpRequestException)
            {
                return new EntraExchangeResult(0, "unreachable", null, $"Entra ID ({connection.Cloud.AuthorityHost}) did not answer: {e.Message}");
            }
            var response = message.Response;
            try
            {
                using var doc = JsonDocument.Parse(response.Content.ToMemory());
                var root = doc.RootElement;
                string? S(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (response.Status == 200 && S("access_token") is string token) return new EntraExchangeResult(token);
                int? code = root.TryGetProperty("error_codes", out var codes) && codes.ValueKind == JsonValueKind.Array && codes.GetArrayLength() > 0
                    && codes[0].TryGetInt32(out var c) ? c : (int?)null;
                return new EntraExchangeResult(response.Status, S("error"), code, S("error_description"));
            }
            catch (JsonException)
            {
                return new EntraExchangeResult(response.Status, "invalid_response", null, $"Entra ID answered {response.Status} without a JSON body.");
            }
        }

        private sealed class ExchangeClientOptions : ClientOptions { }
    }
}
