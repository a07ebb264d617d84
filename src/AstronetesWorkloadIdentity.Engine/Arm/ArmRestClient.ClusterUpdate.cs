using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>The raw calls of a long-running cluster update; WorkloadIdentityEnabler orchestrates them.</summary>
    public sealed partial class ArmRestClient
    {
        /// <summary>The cluster as a model and as the whole body, to be changed and PUT back as az aks update does.</summary>
        internal async Task<ClusterDocument> GetManagedClusterDocumentAsync(string clusterId, CancellationToken ct)
        {
            var message = await SendNegotiatedAsync(ArmApiType.ManagedClusters, v => CreateMessage(RequestMethod.Get, clusterId, v, null, null), clusterId, ct).ConfigureAwait(false);
            var response = message.Response;
            if (response.Status != 200) throw ArmErrors.FromResponse(response, clusterId);
            var cluster = ParseBody(response, clusterId, ArmModelParser.ManagedCluster);
            JsonObject? body;
            try
            {
                body = JsonNode.Parse(response.Content.ToMemory().Span) as JsonObject;
            }
            catch (JsonException ex)
            {
                throw ArmErrors.InvalidBody(response, clusterId, "ARM returned a cluster body that is not valid JSON.", ex);
            }
            if (body == null) throw ArmErrors.InvalidBody(response, clusterId, "ARM returned a cluster body that is not a JSON object.");
            return new ClusterDocument(cluster, body, KeepResponse(message));
        }

        /// <summary>
        /// PUTs the whole cluster body. 200 (update) or 201 (create) start an operation; any other answer, 409
        /// OperationNotAllowed for a busy cluster included, is an ArmException. The returned response stays readable
        /// (its Retry-After paces the first poll).
        /// </summary>
        internal async Task<ClusterPutResult> PutManagedClusterAsync(string clusterId, JsonObject body, CancellationToken ct)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
            var message = await SendNegotiatedAsync(ArmApiType.ManagedClusters, v => CreateMessage(RequestMethod.Put, clusterId, v, null, bytes), clusterId, ct).ConfigureAwait(false);
            var response = message.Response;
            if (response.Status != 200 && response.Status != 201) throw ArmErrors.FromResponse(response, clusterId);
            var cluster = ParseBody(response, clusterId, ArmModelParser.ManagedCluster);
            Uri? statusUrl = null;
            if (response.Headers.TryGetValue("Azure-AsyncOperation", out var header) && !string.IsNullOrEmpty(header))
            {
                statusUrl = ToFollowableUrl(header!, response, clusterId, "Azure-AsyncOperation");
            }
            return new ClusterPutResult(cluster, statusUrl, KeepResponse(message));
        }

        /// <summary>GETs an operation status URL; the response is detached so the poller can read its headers later.</summary>
        internal async Task<Response> GetOperationStatusAsync(Uri statusUrl, string resourceId, CancellationToken ct)
        {
            var message = _pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            // The status URL carries its own api-version (2016-03-30 for AKS), so it is sent as given.
            message.Request.Uri.Reset(statusUrl);
            message.Request.Headers.Add("Accept", "application/json");
            AttachObserver(message);
            await SendAsync(message, resourceId, ct).ConfigureAwait(false);
            if (message.Response.Status != 200) throw ArmErrors.FromResponse(message.Response, resourceId);
            return KeepResponse(message);
        }

        /// <summary>
        /// The response outlives its message, so a poller can read its Retry-After later. Not disposing is safe: the
        /// pipeline buffers the body (BufferResponse), so no connection is held; the garbage collector takes the rest.
        /// </summary>
        private static Response KeepResponse(HttpMessage message) => message.Response;

        /// <summary>A header URL, absolute or relative to the endpoint; followed only on our endpoint, since the bearer token goes with it.</summary>
        private Uri ToFollowableUrl(string value, Response response, string resourceId, string headerName)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var url) && !Uri.TryCreate(_endpoint, value, out url))
            {
                throw ArmErrors.InvalidBody(response, resourceId, "ARM returned an " + headerName + " header that is not a URL: '" + value + "'.");
            }
            if (!string.Equals(url.Scheme, _endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(url.Host, _endpoint.Host, StringComparison.OrdinalIgnoreCase)
                || url.Port != _endpoint.Port)
            {
                throw ArmErrors.InvalidBody(response, resourceId, "ARM returned an " + headerName + " URL that does not point at "
                    + _endpoint.GetLeftPart(UriPartial.Authority) + "; it was not followed.");
            }
            return url;
        }
    }

    internal sealed class ClusterDocument
    {
        public ClusterDocument(ManagedCluster cluster, JsonObject body, Response response)
        {
            Cluster = cluster;
            Body = body;
            Response = response;
        }

        public ManagedCluster Cluster { get; }
        public JsonObject Body { get; }
        public Response Response { get; }
    }

    internal sealed class ClusterPutResult
    {
        public ClusterPutResult(ManagedCluster cluster, Uri? statusUrl, Response response)
        {
            Cluster = cluster;
            StatusUrl = statusUrl;
            Response = response;
        }

        public ManagedCluster Cluster { get; }
        /// <summary>Azure-AsyncOperation; null when the service answered without one (then the cluster itself is polled).</summary>
        public Uri? StatusUrl { get; }
        public Response Response { get; }
    }
}
