using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ArmEmulator;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>One emulator per test class; tests call <see cref="ResetAsync"/> (via <see cref="EmulatorTestBase"/>) between tests.</summary>
public class EmulatorFixture : IAsyncLifetime
{
    public EmulatorServer Server { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    protected virtual EmulatorOptions Options => new();

    public async Task InitializeAsync()
    {
        Server = await EmulatorServer.StartAsync(Options);
        Http = PinnedClient.Create(Server.Thumbprint, Server.BaseUri);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

public sealed class ShortReplicationDelayFixture : EmulatorFixture
{
    protected override EmulatorOptions Options => new() { PrincipalReplicationDelay = TimeSpan.FromMilliseconds(300), ListPageSize = 3 };
}

/// <summary>FIC writes that stay in flight for a second: requests started together surely overlap, even on a busy machine.</summary>
public sealed class SlowFicWriteFixture : EmulatorFixture
{
    public static readonly TimeSpan Latency = TimeSpan.FromSeconds(1);
    protected override EmulatorOptions Options => new() { FederatedCredentialWriteLatency = Latency };
}

public static class PinnedClient
{
    /// <summary>An HttpClient that trusts exactly the emulator's certificate (by SHA-1 thumbprint) and nothing else.</summary>
    public static HttpClient Create(string thumbprint, Uri? baseUri = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
                cert is not null && string.Equals(cert.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase),
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        if (baseUri is not null) client.BaseAddress = baseUri;
        return client;
    }
}

public sealed record ArmResult(HttpStatusCode Status, JsonNode? Json, HttpResponseMessage Response)
{
    public string? ErrorCode => Json?["error"]?["code"]?.GetValue<string>();
    public string? ErrorMessage => Json?["error"]?["message"]?.GetValue<string>();
    public string? Header(string name) => Response.Headers.TryGetValues(name, out var v) ? v.First()
        : Response.Content.Headers.TryGetValues(name, out var c) ? c.First() : null;
}

public abstract class EmulatorTestBase
{
    protected const string Sub = EmulatorDefaults.SubscriptionId;
    protected const string Rg = EmulatorDefaults.ResourceGroup;
    protected const string IdentityApi = "2024-11-30";
    protected const string AuthApi = "2022-04-01";
    protected static readonly string RgPath = $"/subscriptions/{Sub}/resourceGroups/{Rg}";
    protected static readonly string IdentitiesPath = $"{RgPath}/providers/Microsoft.ManagedIdentity/userAssignedIdentities";

    protected EmulatorTestBase(EmulatorFixture fixture)
    {
        Fixture = fixture;
        fixture.Server.Reset();
    }

    protected EmulatorFixture Fixture { get; }
    protected EmulatorServer Server => Fixture.Server;
    protected HttpClient Http => Fixture.Http;

    private readonly Dictionary<string, string> tokens = new();

    protected async Task<HttpResponseMessage> RequestTokenAsync(string clientId, string? secret, string scope = "https://management.azure.com/.default",
        string? tenant = null, Dictionary<string, string>? extra = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["scope"] = scope };
        if (secret is not null) form["client_secret"] = secret;
        if (extra is not null) foreach (var (k, v) in extra) form[k] = v;
        return await Http.PostAsync($"/{tenant ?? Server.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(form));
    }

    protected async Task<string> TokenAsync(string clientId = EmulatorDefaults.DeployerClientId, string secret = EmulatorDefaults.DeployerClientSecret)
    {
        if (tokens.TryGetValue(clientId, out var cached)) return cached;
        var response = await RequestTokenAsync(clientId, secret);
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return tokens[clientId] = json["access_token"]!.GetValue<string>();
    }

    protected Task<ArmResult> ContributorAsync(HttpMethod method, string pathAndQuery, object? body = null) =>
        ArmAsync(method, pathAndQuery, body, clientId: EmulatorDefaults.ContributorClientId, secret: EmulatorDefaults.ContributorClientSecret);

    protected async Task<ArmResult> ArmAsync(HttpMethod method, string pathAndQuery, object? body = null, string? token = null,
        bool noToken = false, string? clientId = null, string? secret = null, Dictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (!noToken)
        {
            token ??= clientId is null ? await TokenAsync() : await TokenAsync(clientId, secret!);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (headers is not null) foreach (var (k, v) in headers) request.Headers.TryAddWithoutValidation(k, v);
        if (body is not null)
        {
            var text = body as string ?? (body as JsonNode ?? System.Text.Json.JsonSerializer.SerializeToNode(body))!.ToJsonString();
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }
        var response = await Http.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return new ArmResult(response.StatusCode, content.Length == 0 ? null : JsonNode.Parse(content), response);
    }

    protected Task<ArmResult> PutIdentityAsync(string name, string location = "westeurope") =>
        ArmAsync(HttpMethod.Put, $"{IdentitiesPath}/{name}?api-version={IdentityApi}", new { location });

    protected Task<ArmResult> PutFicAsync(string identity, string name, string issuer, string subject, string[]? audiences = null) =>
        ArmAsync(HttpMethod.Put, $"{IdentitiesPath}/{identity}/federatedIdentityCredentials/{name}?api-version={IdentityApi}",
            new { properties = new { issuer, subject, audiences = audiences ?? ["api://AzureADTokenExchange"] } });

    protected static object RoleAssignmentBody(string roleId, string principalId, string? principalType = "ServicePrincipal") =>
        principalType is null
            ? new { properties = new { roleDefinitionId = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/{roleId}", principalId } }
            : new { properties = new { roleDefinitionId = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/{roleId}", principalId, principalType } };

    protected static void AssertError(ArmResult result, HttpStatusCode status, string code)
    {
        Assert.True(result.Status == status && result.ErrorCode == code,
            $"Expected {(int)status} {code}, got {(int)result.Status} {result.ErrorCode}: {result.Json?.ToJsonString()}");
    }
}
