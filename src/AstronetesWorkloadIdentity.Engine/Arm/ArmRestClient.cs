using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Typed ARM operations over a connection's shared pipeline (auth, retry, telemetry). Cheap to create:
    /// one per caller, carrying that caller's observer. Every failure surfaces as ArmException,
    /// bad input as InputValidationException before any call, cancellation as OperationCanceledException.
    /// </summary>
    public sealed partial class ArmRestClient
    {
        private const int MaxPages = 1000;
        private readonly HttpPipeline _pipeline;
        private readonly Uri _endpoint;
        private readonly ApiVersionNegotiator _apiVersions;
        private readonly IArmCallObserver? _observer;

        private readonly ConnectionContext? _context;

        internal ArmRestClient(HttpPipeline pipeline, Uri endpoint, ApiVersionNegotiator apiVersions, IArmCallObserver? observer, ConnectionContext? context = null)
        {
            _context = context;
            _pipeline = pipeline;
            _endpoint = endpoint;
            _apiVersions = apiVersions;
            _observer = observer;
        }

        public async Task<ManagedCluster> GetManagedClusterAsync(string subscriptionId, string resourceGroupName, string clusterName, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            InputValidator.ResourceGroupName(resourceGroupName);
            InputValidator.ClusterName(clusterName);
            var id = ArmResourceId.ManagedCluster(subscriptionId, resourceGroupName, clusterName);
            return await GetAsync(id, ArmApiType.ManagedClusters, ArmModelParser.ManagedCluster, ct).ConfigureAwait(false);
        }

        public async Task<ResourceGroup> GetResourceGroupAsync(string subscriptionId, string resourceGroupName, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            InputValidator.ResourceGroupName(resourceGroupName);
            var id = ArmResourceId.ResourceGroup(subscriptionId, resourceGroupName);
            return await GetAsync(id, ArmApiType.ResourceGroups, ArmModelParser.ResourceGroup, ct).ConfigureAwait(false);
        }

        /// <summary>The subscription's resource groups (for tab completion and pickers).</summary>
        public async Task<IReadOnlyList<ResourceGroup>> ListResourceGroupsAsync(string subscriptionId, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            var parent = ArmResourceId.Subscription(subscriptionId);
            return await ListAsync(parent + "/resourcegroups", ArmApiType.ResourceGroups, null, parent, ArmModelParser.ResourceGroup, ct).ConfigureAwait(false);
        }

        /// <summary>The subscriptions the signed-in principal can see (GET /subscriptions), for choosing a default and for completion.</summary>
        public async Task<IReadOnlyList<SubscriptionSummary>> ListSubscriptionsAsync(CancellationToken ct)
        {
            return await ListAsync("/subscriptions", ArmApiType.Subscriptions, null, "/subscriptions", ArmModelParser.Subscription, ct).ConfigureAwait(false);
        }

        /// <summary>Every managed cluster of the subscription, whichever its resource group (for completion without -ResourceGroupName).</summary>
        public async Task<IReadOnlyList<ManagedCluster>> ListManagedClustersAsync(string subscriptionId, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            var parent = ArmResourceId.Subscription(subscriptionId);
            return await ListAsync(parent + "/providers/Microsoft.ContainerService/managedClusters", ArmApiType.ManagedClusters, null, parent, ArmModelParser.ManagedCluster, ct).ConfigureAwait(false);
        }

        /// <summary>The managed clusters of one resource group.</summary>
        public async Task<IReadOnlyList<ManagedCluster>> ListManagedClustersAsync(string subscriptionId, string resourceGroupName, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            InputValidator.ResourceGroupName(resourceGroupName);
            var parent = ArmResourceId.ResourceGroup(subscriptionId, resourceGroupName);
            return await ListAsync(parent + "/providers/Microsoft.ContainerService/managedClusters", ArmApiType.ManagedClusters, null, parent, ArmModelParser.ManagedCluster, ct).ConfigureAwait(false);
        }

        public async Task<UserAssignedIdentity?> GetIdentityAsync(string subscriptionId, string resourceGroupName, string name, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            InputValidator.ResourceGroupName(resourceGroupName);
            InputValidator.IdentityName(name);
            var id = ArmResourceId.Identity(subscriptionId, resourceGroupName, name);
            return await GetOrNullAsync(id, ArmApiType.Identities, ArmModelParser.Identity, ct).ConfigureAwait(false);
        }

        public async Task<WriteResult<UserAssignedIdentity>> CreateOrUpdateIdentityAsync(string subscriptionId, string resourceGroupName, string name, string location,
            IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            InputValidator.ResourceGroupName(resourceGroupName);
            InputValidator.IdentityName(name);
            InputValidator.Location(location);
            InputValidator.Tags(tags);
            var id = ArmResourceId.Identity(subscriptionId, resourceGroupName, name);
            var body = ArmRequestBodies.Identity(location, tags);
            return await PutAsync(id, ArmApiType.Identities, body, ArmModelParser.Identity, ct).ConfigureAwait(false);
        }

        public async Task<bool> DeleteIdentityAsync(string subscriptionId, string resourceGroupName, string name, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            InputValidator.ResourceGroupName(resourceGroupName);
            InputValidator.IdentityName(name);
            var id = ArmResourceId.Identity(subscriptionId, resourceGroupName, name);
            return await DeleteAsync(id, ArmApiType.Identities, ct).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<UserAssignedIdentity>> ListIdentitiesAsync(string subscriptionId, string? resourceGroupName, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            string parent;
            if (resourceGroupName == null)
            {
                parent = ArmResourceId.Subscription(subscriptionId);
            }
            else
            {
                InputValidator.ResourceGroupName(resourceGroupName);
                parent = ArmResourceId.ResourceGroup(subscriptionId, resourceGroupName);
            }
            var path = parent + "/providers/" + ArmResourceId.IdentityType;
            return await ListAsync(path, ArmApiType.Identities, null, parent, ArmModelParser.Identity, ct).ConfigureAwait(false);
        }

        public async Task<FederatedIdentityCredential?> GetFederatedCredentialAsync(string identityId, string name, CancellationToken ct)
        {
            ArmResourceId.ValidateIdentityId(identityId);
            InputValidator.FederatedCredentialName(name);
            var id = ArmResourceId.FederatedCredential(identityId, name);
            return await GetOrNullAsync(id, ArmApiType.FederatedCredentials, ArmModelParser.FederatedCredential, ct).ConfigureAwait(false);
        }

        public async Task<WriteResult<FederatedIdentityCredential>> CreateOrUpdateFederatedCredentialAsync(string identityId, string name, string issuer, string subject,
            string audience, CancellationToken ct)
        {
            ArmResourceId.ValidateIdentityId(identityId);
            InputValidator.FederatedCredentialName(name);
            InputValidator.IssuerUrl(issuer);
            InputValidator.SubjectValue(subject);
            ArmRequestBodies.ValidateAudience(audience);
            var id = ArmResourceId.FederatedCredential(identityId, name);
            var body = ArmRequestBodies.FederatedCredential(issuer, subject, audience);
            // A PUT under its own name: repeating it after another writer's 409 is safe.
            return await RetryingAsync("PUT", id, () => PutAsync(id, ArmApiType.FederatedCredentials, body, ArmModelParser.FederatedCredential, ct), ct).ConfigureAwait(false);
        }

        public async Task<bool> DeleteFederatedCredentialAsync(string identityId, string name, CancellationToken ct)
        {
            ArmResourceId.ValidateIdentityId(identityId);
            InputValidator.FederatedCredentialName(name);
            var id = ArmResourceId.FederatedCredential(identityId, name);
            return await RetryingAsync("DELETE", id, () => DeleteAsync(id, ArmApiType.FederatedCredentials, ct), ct).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<FederatedIdentityCredential>> ListFederatedCredentialsAsync(string identityId, CancellationToken ct)
        {
            ArmResourceId.ValidateIdentityId(identityId);
            var path = ArmResourceId.TrimSlash(identityId) + "/federatedIdentityCredentials";
            return await ListAsync(path, ArmApiType.FederatedCredentials, null, identityId, ArmModelParser.FederatedCredential, ct).ConfigureAwait(false);
        }

        public async Task<RoleAssignment?> GetRoleAssignmentAsync(string scope, string name, CancellationToken ct)
        {
            InputValidator.Scope(scope);
            InputValidator.RoleAssignmentName(name);
            var id = ArmResourceId.RoleAssignment(scope, name);
            return await GetOrNullAsync(id, ArmApiType.RoleAssignments, ArmModelParser.RoleAssignment, ct).ConfigureAwait(false);
        }

        public async Task<WriteResult<RoleAssignment>> CreateRoleAssignmentAsync(string scope, string name, string roleDefinitionId, string principalId, string principalType,
            CancellationToken ct)
        {
            InputValidator.Scope(scope);
            InputValidator.RoleAssignmentName(name);
            ArmRequestBodies.ValidateRoleDefinitionId(roleDefinitionId);
            InputValidator.TenantId(principalId, "PrincipalId");
            if (string.IsNullOrWhiteSpace(principalType)) throw new InputValidationException("PrincipalType", principalType ?? "", "one of ServicePrincipal, User, Group");
            var id = ArmResourceId.RoleAssignment(scope, name);
            var body = ArmRequestBodies.RoleAssignment(roleDefinitionId, principalId, principalType);
            // The name is deterministic, so repeating the PUT while the directory catches up cannot make a second assignment.
            return await RetryingAsync("PUT", id, () => PutAsync(id, ArmApiType.RoleAssignments, body, ArmModelParser.RoleAssignment, ct), ct).ConfigureAwait(false);
        }

        public async Task<bool> DeleteRoleAssignmentAsync(string scope, string name, CancellationToken ct)
        {
            InputValidator.Scope(scope);
            InputValidator.RoleAssignmentName(name);
            return await DeleteAsync(ArmResourceId.RoleAssignment(scope, name), ArmApiType.RoleAssignments, ct).ConfigureAwait(false);
        }

        /// <param name="filter">An OData filter such as <c>principalId eq '&lt;id&gt;'</c>, or null for all.</param>
        public async Task<IReadOnlyList<RoleAssignment>> ListRoleAssignmentsAsync(string scope, string? filter, CancellationToken ct)
        {
            InputValidator.Scope(scope);
            var path = ArmResourceId.TrimSlash(scope) + "/providers/Microsoft.Authorization/roleAssignments";
            return await ListAsync(path, ArmApiType.RoleAssignments, filter, scope, ArmModelParser.RoleAssignment, ct).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<RoleDefinition>> ListRoleDefinitionsByNameAsync(string scope, string roleName, CancellationToken ct)
        {
            InputValidator.Scope(scope);
            InputValidator.RoleDefinitionName(roleName);
            var path = ArmResourceId.TrimSlash(scope) + "/providers/Microsoft.Authorization/roleDefinitions";
            // OData escapes a quote inside a string literal by doubling it.
            var filter = "roleName eq '" + roleName.Replace("'", "''") + "'";
            return await ListAsync(path, ArmApiType.RoleDefinitions, filter, scope, ArmModelParser.RoleDefinition, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// POST .../listClusterUserCredential (or listClusterAdminCredential): the first kubeconfig of the answer, decoded.
        /// Holds the cluster's credential: the caller keeps it out of every output stream.
        /// </summary>
        public async Task<string> ListClusterCredentialAsync(string subscriptionId, string resourceGroupName, string clusterName, bool admin, CancellationToken ct)
        {
            InputValidator.SubscriptionId(subscriptionId);
            InputValidator.ResourceGroupName(resourceGroupName);
            InputValidator.ClusterName(clusterName);
            var id = ArmResourceId.ManagedCluster(subscriptionId, resourceGroupName, clusterName);
            var path = id + (admin ? "/listClusterAdminCredential" : "/listClusterUserCredential");
            using var message = await SendNegotiatedAsync(ArmApiType.ManagedClusters, v => CreateMessage(RequestMethod.Post, path, v, null, null), id, ct).ConfigureAwait(false);
            var response = message.Response;
            if (response.Status != 200) throw ArmErrors.FromResponse(response, id);
            using var doc = ParseDocument(response, id);
            var first = ArmJson.Property(doc.RootElement, "kubeconfigs") is JsonElement list && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
                ? list[0] : default;
            var value = first.ValueKind == JsonValueKind.Object ? ArmJson.String(first, "value") : null;
            if (string.IsNullOrEmpty(value)) throw ArmErrors.InvalidBody(response, id, "ARM returned no kubeconfig.");
            try { return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value)); }
            catch (FormatException ex) { throw ArmErrors.InvalidBody(response, id, "ARM returned a kubeconfig that is not base64.", ex); }
        }

        private Task<T> RetryingAsync<T>(string method, string id, Func<Task<T>> attempt, CancellationToken ct)
            => ConditionRetry.RunAsync(attempt, method, id, _context?.Retry ?? RetrySettings.Default, _observer, ct);

        private async Task<T> GetAsync<T>(string id, ArmApiType type, Func<JsonElement, string, T> parse, CancellationToken ct)
        {
            using var message = await SendNegotiatedAsync(type, v => CreateMessage(RequestMethod.Get, id, v, null, null), id, ct).ConfigureAwait(false);
            var response = message.Response;
            if (response.Status != 200) throw ArmErrors.FromResponse(response, id);
            return ParseBody(response, id, parse);
        }

        private async Task<T?> GetOrNullAsync<T>(string id, ArmApiType type, Func<JsonElement, string, T> parse, CancellationToken ct) where T : class
        {
            using var message = await SendNegotiatedAsync(type, v => CreateMessage(RequestMethod.Get, id, v, null, null), id, ct).ConfigureAwait(false);
            var response = message.Response;
            if (response.Status == 404)
            {
                // Only the resource itself may be missing; a missing group, subscription or parent is an error.
                ArmErrorBody.Read(response, out var code, out _);
                if (code == "ResourceNotFound" || code == "RoleAssignmentNotFound") return null;
            }
            if (response.Status != 200) throw ArmErrors.FromResponse(response, id);
            return ParseBody(response, id, parse);
        }

        private async Task<WriteResult<T>> PutAsync<T>(string id, ArmApiType type, byte[] body, Func<JsonElement, string, T> parse, CancellationToken ct)
        {
            using var message = await SendNegotiatedAsync(type, v => CreateMessage(RequestMethod.Put, id, v, null, body), id, ct).ConfigureAwait(false);
            var response = message.Response;
            if (response.Status != 200 && response.Status != 201) throw ArmErrors.FromResponse(response, id);
            return new WriteResult<T>(ParseBody(response, id, parse), response.Status == 201);
        }

        private async Task<bool> DeleteAsync(string id, ArmApiType type, CancellationToken ct)
        {
            using var message = await SendNegotiatedAsync(type, v => CreateMessage(RequestMethod.Delete, id, v, null, null), id, ct).ConfigureAwait(false);
            var response = message.Response;
            if (response.Status == 200 || response.Status == 202) return true;
            if (response.Status == 204) return false;
            throw ArmErrors.FromResponse(response, id);
        }

        private async Task<IReadOnlyList<T>> ListAsync<T>(string path, ArmApiType type, string? filter, string resourceId, Func<JsonElement, string, T> parse, CancellationToken ct)
        {
            var items = new List<T>();
            var message = await SendNegotiatedAsync(type, v => CreateMessage(RequestMethod.Get, path, v, filter, null), resourceId, ct).ConfigureAwait(false);
            try
            {
                for (var page = 1; ; page++)
                {
                    var response = message.Response;
                    if (response.Status != 200) throw ArmErrors.FromResponse(response, resourceId);
                    string? nextLink;
                    using (var doc = ParseDocument(response, resourceId))
                    {
                        var value = ArmJson.Property(doc.RootElement, "value");
                        if (value?.ValueKind == JsonValueKind.Array)
                        {
                            foreach (var item in value.Value.EnumerateArray()) items.Add(parse(item, path));
                        }
                        nextLink = ArmJson.String(doc.RootElement, "nextLink");
                    }
                    if (string.IsNullOrEmpty(nextLink)) return items;
                    if (page >= MaxPages) throw ArmErrors.InvalidBody(response, resourceId, "ARM kept returning nextLink after " + MaxPages + " pages.");
                    // nextLink carries the api-version the first page was answered with, the fallback included.
                    var next = CreateNextPageMessage(nextLink!, response, resourceId);
                    message.Dispose();
                    message = next;
                    await SendAsync(message, resourceId, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                message.Dispose();
            }
        }

        /// <summary>
        /// Sends the request built for the api-version this connection uses for <paramref name="type"/>. If the cloud
        /// rejects that version, sends it once more with the newest known version the error lists (ApiVersionNegotiator).
        /// Returns the message whose response the caller reads; the caller disposes it.
        /// </summary>
        private async Task<HttpMessage> SendNegotiatedAsync(ArmApiType type, Func<string, HttpMessage> create, string resourceId, CancellationToken ct)
        {
            var version = _apiVersions.Current(_endpoint, type);
            var message = create(version);
            try
            {
                await SendAsync(message, resourceId, ct).ConfigureAwait(false);
                if (!_apiVersions.IsRejection(_endpoint, type, version, message.Response, resourceId, out var fallback, out var failure)) return message;
                if (failure != null) throw failure;
                var retry = create(fallback!);
                ArmCallObserverPolicy.ContinueAttempts(message, retry);
                message.Dispose();
                message = retry;
                await SendAsync(message, resourceId, ct).ConfigureAwait(false);
                return message;
            }
            catch
            {
                message.Dispose();
                throw;
            }
        }

        private HttpMessage CreateMessage(RequestMethod method, string path, string apiVersion, string? filter, byte[]? body)
        {
            var message = _pipeline.CreateMessage();
            var request = message.Request;
            request.Method = method;
            request.Uri.Reset(_endpoint);
            // Names are validated before this, but each segment is still escaped: whatever a segment holds stays that segment.
            request.Uri.AppendPath(ArmResourceId.EscapePath(path), escape: false);
            request.Uri.AppendQuery("api-version", apiVersion, escapeValue: true);
            if (filter != null) request.Uri.AppendQuery("$filter", filter, escapeValue: true);
            request.Headers.Add("Accept", "application/json");
            if (body != null)
            {
                request.Headers.Add("Content-Type", "application/json");
                request.Content = RequestContent.Create(body);
            }
            AttachObserver(message);
            return message;
        }

        private HttpMessage CreateNextPageMessage(string nextLink, Response response, string resourceId)
        {
            // nextLink is absolute and carries the api-version and skip token. The bearer token goes wherever
            // the request goes, so follow only links to the endpoint we were given.
            if (!Uri.TryCreate(nextLink, UriKind.Absolute, out var next)
                || !string.Equals(next.Scheme, _endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(next.Host, _endpoint.Host, StringComparison.OrdinalIgnoreCase)
                || next.Port != _endpoint.Port)
            {
                throw ArmErrors.InvalidBody(response, resourceId, "ARM returned a nextLink that does not point at " + _endpoint.GetLeftPart(UriPartial.Authority) + "; it was not followed.");
            }
            var message = _pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(next);
            message.Request.Headers.Add("Accept", "application/json");
            AttachObserver(message);
            return message;
        }

        private void AttachObserver(HttpMessage message)
        {
            if (_observer != null) message.SetProperty(ArmCallObserverPolicy.ObserverProperty, _observer);
        }

        private async Task<Response> SendAsync(HttpMessage message, string resourceId, CancellationToken ct)
        {
            try
            {
                await _pipeline.SendAsync(message, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException("The operation was canceled.", ex, ct);
            }
            catch (Exception ex)
            {
                throw ArmErrors.FromException(ex, resourceId, _context);
            }
            return message.Response;
        }

        private static T ParseBody<T>(Response response, string id, Func<JsonElement, string, T> parse)
        {
            using var doc = ParseDocument(response, id);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw ArmErrors.InvalidBody(response, id, "ARM returned a body that is not a JSON object.");
            return parse(doc.RootElement, id);
        }

        private static JsonDocument ParseDocument(Response response, string id)
        {
            try
            {
                return JsonDocument.Parse(response.Content.ToMemory());
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is IOException)
            {
                throw ArmErrors.InvalidBody(response, id, "ARM returned a body that is not valid JSON.", ex);
            }
        }
    }
}
