using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class TokenEndpointTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private static JsonObject Payload(string jwt)
    {
        var p = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        p += new string('=', (4 - p.Length % 4) % 4);
        return (JsonObject)JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(p)))!;
    }

    [Theory]
    [InlineData("https://management.azure.com/.default", "https://management.azure.com")]
    [InlineData("https://management.azure.com//.default", "https://management.azure.com/")]
    [InlineData("https://management.core.windows.net//.default", "https://management.core.windows.net/")]
    public async Task ClientSecret_IssuesJwtWithClaims(string scope, string audience)
    {
        var response = await RequestTokenAsync(EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret, scope,
            extra: new() { ["client_info"] = "1", ["claims"] = "{\"access_token\":{\"xms_cc\":{\"values\":[\"CP1\"]}}}" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Bearer", json["token_type"]!.GetValue<string>());
        Assert.True(json["expires_in"]!.GetValue<long>() > 0);
        Assert.True(json["ext_expires_in"]!.GetValue<long>() > 0);
        var token = json["access_token"]!.GetValue<string>();
        Assert.Equal(3, token.Split('.').Length);
        var payload = Payload(token);
        Assert.Equal(audience, payload["aud"]!.GetValue<string>());
        Assert.Equal(Server.TenantId, payload["tid"]!.GetValue<string>());
        Assert.Equal(EmulatorDefaults.DeployerObjectId, payload["oid"]!.GetValue<string>());
        Assert.Equal(EmulatorDefaults.DeployerClientId, payload["appid"]!.GetValue<string>());
        foreach (var claim in new[] { "iss", "iat", "nbf", "exp" }) Assert.NotNull(payload[claim]);
    }

    [Fact]
    public async Task EmulatorBaseUrlScope_IsAccepted_AndTokenWorksAgainstArm()
    {
        var response = await RequestTokenAsync(EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret, Server.BaseUri + ".default");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        var result = await ArmAsync(HttpMethod.Get, $"/subscriptions/{Sub}?api-version=2022-12-01", token: token);
        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    [Fact]
    public async Task BadSecret_Is401InvalidClient_AADSTS7000215()
    {
        var response = await RequestTokenAsync(EmulatorDefaults.DeployerClientId, "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_client", json["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS7000215: Invalid client secret provided.", json["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownClient_IsAADSTS700016()
    {
        var response = await RequestTokenAsync("00000000-1111-2222-3333-444444444444", "x");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("unauthorized_client", json["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS700016: Application with identifier '00000000-1111-2222-3333-444444444444' was not found", json["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownTenant_Is400InvalidRequest_AADSTS90002()
    {
        var response = await RequestTokenAsync(EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret, tenant: "11111111-2222-3333-4444-555555555555");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_request", json["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS90002", json["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientAssertion_MerelyJwtShaped_IsRefused_ForAClientWithoutFederatedCredentials_AndGarbageIsMalformed()
    {
        var jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDphZ2VudCIsImV4cCI6NDEwMjQ0NDgwMH0.c2ln";
        var refused = await RequestTokenAsync(EmulatorDefaults.DeployerClientId, null, extra: new()
        {
            ["client_assertion"] = jwt, ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(70025, JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error_codes"]![0]!.GetValue<int>());
        var bad = await RequestTokenAsync(EmulatorDefaults.DeployerClientId, null, extra: new()
        {
            ["client_assertion"] = "not-a-jwt", ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        });
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    [Fact]
    public async Task UnknownResourceScope_IsInvalidResource()
    {
        var response = await RequestTokenAsync(EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret, "https://resource.example.invalid/.default");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_resource", body["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS500011: The resource principal named https://resource.example.invalid was not found", body["error_description"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/.default", "https://graph.microsoft.com")]
    [InlineData("https://vault.azure.net/.default", "https://vault.azure.net")]
    [InlineData("https://storage.azure.com/.default", "https://storage.azure.com")]
    [InlineData("https://storage.azure.com//.default", "https://storage.azure.com/")]
    public async Task OtherWellKnownResources_GetTokensForThemselves(string scope, string audience)
    {
        // Entra ID issues tokens for every resource of the tenant, not only ARM: refusing them is ARM's job.
        var response = await RequestTokenAsync(EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret, scope);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var claims = JsonNode.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=')))!;
        Assert.Equal(audience, claims["aud"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenRequests_AreLoggedWithoutBody()
    {
        await RequestTokenAsync(EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
        var entry = Assert.Single(Server.Requests);
        Assert.Equal("POST", entry.Method);
        Assert.Null(entry.Body);
        Assert.Equal(200, entry.Status);
    }

    [Fact]
    public async Task AuthorityMetadata_IsServed()
    {
        var response = await Http.GetAsync($"/{Server.TenantId}/v2.0/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal($"{Server.BaseUri}{Server.TenantId}/oauth2/v2.0/token", json["token_endpoint"]!.GetValue<string>());
        Assert.NotNull(json["issuer"]);
        Assert.NotNull(json["authorization_endpoint"]);
        Assert.NotNull(json["jwks_uri"]);
    }
}
