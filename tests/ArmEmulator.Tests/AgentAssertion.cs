using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ArmEmulator.Tests;

/// <summary>
/// A genuine client assertion for a managed identity, the way an agent gets one: a federated credential on the identity
/// for the ready cluster's issuer, a service account, and a token for it from the cluster's TokenRequest API.
/// </summary>
public static class AgentAssertion
{
    public const string Namespace = "resiliency-system";

    public static async Task<string> ForIdentityAsync(EmulatorServer server, HttpClient http, string identityName, string serviceAccount = "agent")
    {
        var deployer = await DeployerTokenAsync(server, http);
        const string sub = EmulatorDefaults.SubscriptionId, rg = EmulatorDefaults.ResourceGroup;
        var issuer = $"{server.BaseUri}oic/{EmulatorDefaults.Location}/{server.TenantId}/{EmulatorDefaults.ClusterReadyIssuerId}/";
        await SendAsync(http, HttpMethod.Put,
            $"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identityName}/federatedIdentityCredentials/agent-assertion?api-version=2024-11-30",
            deployer, new { properties = new { issuer, subject = $"system:serviceaccount:{Namespace}:{serviceAccount}", audiences = new[] { "api://AzureADTokenExchange" } } });
        var list = await SendAsync(http, HttpMethod.Post,
            $"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{EmulatorDefaults.ClusterReady}/listClusterUserCredential?api-version=2025-10-01", deployer);
        var kubeconfig = Encoding.UTF8.GetString(Convert.FromBase64String(list!["kubeconfigs"]![0]!["value"]!.GetValue<string>()));
        string Field(string name) => kubeconfig.Split('\n').Single(l => l.TrimStart().StartsWith(name + ":")).Split(name + ":")[1].Trim();
        var (apiServer, token) = (Field("server"), Field("token"));
        await SendAsync(http, HttpMethod.Post, $"{apiServer}/api/v1/namespaces/{Namespace}/serviceaccounts", token, new { metadata = new { name = serviceAccount } }, allowConflict: true);
        var request = await SendAsync(http, HttpMethod.Post, $"{apiServer}/api/v1/namespaces/{Namespace}/serviceaccounts/{serviceAccount}/token", token,
            new { spec = new { audiences = new[] { "api://AzureADTokenExchange" }, expirationSeconds = 3600 } });
        return request!["status"]!["token"]!.GetValue<string>();
    }

    private static async Task<string> DeployerTokenAsync(EmulatorServer server, HttpClient http)
    {
        var response = await http.PostAsync($"/{server.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = EmulatorDefaults.DeployerClientId,
            ["client_secret"] = EmulatorDefaults.DeployerClientSecret, ["scope"] = "https://management.azure.com/.default",
        }));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private static async Task<JsonNode?> SendAsync(HttpClient http, HttpMethod method, string url, string bearer, object? body = null, bool allowConflict = false)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (body is not null) request.Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode && !(allowConflict && response.StatusCode == System.Net.HttpStatusCode.Conflict))
            throw new InvalidOperationException($"{method} {url}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }
}
