using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>Entra ID's side of workload identity federation: the cluster's service-account token as a client assertion.</summary>
public sealed class FederatedExchangeTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private const string Ns = "resiliency-system";
    private const string Agent = "agent-1";
    private const string Exchange = "api://AzureADTokenExchange";
    private static readonly string ClusterPath = $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/{EmulatorDefaults.ClusterReady}";
    private string Issuer => $"{Server.BaseUri}oic/{EmulatorDefaults.Location}/{Server.TenantId}/{EmulatorDefaults.ClusterReadyIssuerId}/";

    private async Task<(string Server, string Token)> ApiServerAsync()
    {
        var result = await ArmAsync(HttpMethod.Post, $"{ClusterPath}/listClusterUserCredential?api-version=2025-10-01");
        var kubeconfig = Encoding.UTF8.GetString(Convert.FromBase64String(result.Json!["kubeconfigs"]![0]!["value"]!.GetValue<string>()));
        string Field(string name) => kubeconfig.Split('\n').Single(l => l.TrimStart().StartsWith(name + ":")).Split(name + ":")[1].Trim();
        return (Field("server"), Field("token"));
    }

    private async Task<JsonNode> KubeAsync(HttpMethod method, string path, object? body = null)
    {
        var (server, token) = await ApiServerAsync();
        var request = new HttpRequestMessage(method, server + path);
        request.Headers.Authorization = new("Bearer", token);
        if (body is not null) request.Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        var response = await Http.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json;
    }

    private async Task<string> ServiceAccountTokenAsync(string sa = Agent, string audience = Exchange)
    {
        await KubeAsync(HttpMethod.Post, $"/api/v1/namespaces/{Ns}/serviceaccounts", new { metadata = new { name = sa } });
        var request = await KubeAsync(HttpMethod.Post, $"/api/v1/namespaces/{Ns}/serviceaccounts/{sa}/token",
            new { apiVersion = "authentication.k8s.io/v1", kind = "TokenRequest", spec = new { audiences = new[] { audience }, expirationSeconds = 600 } });
        return request["status"]!["token"]!.GetValue<string>();
    }

    private async Task<(string ClientId, string PrincipalId)> IdentityAsync(params (string Issuer, string Subject, string Audience)[] credentials)
    {
        var identity = await PutIdentityAsync("agent-identity");
        var i = 0;
        foreach (var (issuer, subject, audience) in credentials)
            Assert.True((await PutFicAsync("agent-identity", $"fic{i++}", issuer, subject, [audience])).Status is HttpStatusCode.OK or HttpStatusCode.Created);
        return (identity.Json!["properties"]!["clientId"]!.GetValue<string>(), identity.Json!["properties"]!["principalId"]!.GetValue<string>());
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> ExchangeAsync(string clientId, string assertion)
    {
        var response = await RequestTokenAsync(clientId, null, extra: new()
        {
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", ["client_assertion"] = assertion,
        });
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task MatchingCredential_IssuesATokenForTheIdentitysPrincipal_WhichArmAnswersByItsRoles()
    {
        var (clientId, principalId) = await IdentityAsync((Issuer, $"system:serviceaccount:{Ns}:{Agent}", Exchange));
        Server.GrantRole(principalId, "Reader", $"/subscriptions/{Sub}");
        var (status, body) = await ExchangeAsync(clientId, await ServiceAccountTokenAsync());
        Assert.Equal(HttpStatusCode.OK, status);
        var token = body["access_token"]!.GetValue<string>();
        var read = await ArmAsync(HttpMethod.Get, $"{ClusterPath}?api-version=2025-10-01", token: token);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        var write = await ArmAsync(HttpMethod.Put, $"{IdentitiesPath}/not-allowed?api-version={IdentityApi}", new { location = "westeurope" }, token: token);
        AssertError(write, HttpStatusCode.Forbidden, "AuthorizationFailed");
        Assert.Contains(principalId, write.ErrorMessage);
    }

    public static TheoryData<string, string, string, int> Mismatches => new()
    {
        // what differs, FIC issuer / subject / audience (placeholders: {issuer}, {sub}), expected AADSTS code
        { "{issuer}", $"system:serviceaccount:{Ns}:Agent-1", Exchange, 700213 },
        { "{issuer}", $"system:serviceaccount:default:{Agent}", Exchange, 700213 },
        { "{issuer-no-slash}", $"system:serviceaccount:{Ns}:{Agent}", Exchange, 700211 },
        { "{old-issuer}", $"system:serviceaccount:{Ns}:{Agent}", Exchange, 700211 },
        { "{issuer}", $"system:serviceaccount:{Ns}:{Agent}", "api://AzureADTokenExchange/", 700212 },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task CredentialThatDiffersInOneField_IsRefusedWithItsCode(string issuer, string subject, string audience, int code)
    {
        issuer = issuer switch
        {
            "{issuer}" => Issuer,
            "{issuer-no-slash}" => Issuer.TrimEnd('/'),
            _ => $"{Server.BaseUri}oic/{EmulatorDefaults.Location}/{Server.TenantId}/{Guid.NewGuid()}/",
        };
        var (clientId, _) = await IdentityAsync((issuer, subject, audience));
        var (status, body) = await ExchangeAsync(clientId, await ServiceAccountTokenAsync());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body["error_codes"]![0]!.GetValue<int>());
        Assert.StartsWith($"AADSTS{code}: ", body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task CredentialNotYetPropagated_Is70021_UntilItsEffectiveAt()
    {
        var (clientId, _) = await IdentityAsync((Issuer, $"system:serviceaccount:{Ns}:{Agent}", Exchange));
        Server.EditState(state => state.Identities.Single(i => i.ClientId == clientId).FederatedIdentityCredentials.Single().EffectiveAt
            = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5));

        var assertion = await ServiceAccountTokenAsync();
        var (pending, body) = await ExchangeAsync(clientId, assertion);
        Assert.Equal(HttpStatusCode.BadRequest, pending);
        Assert.Equal(70021, body["error_codes"]![0]!.GetValue<int>());

        // The assertion lives 10 minutes: still valid once the credential has propagated.
        Server.AdvanceClock(TimeSpan.FromMinutes(6));
        var (status, _) = await ExchangeAsync(clientId, assertion);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task NoCredential_Is70025_AndAnExpiredAssertion_Is700024()
    {
        var (clientId, _) = await IdentityAsync();
        var assertion = await ServiceAccountTokenAsync();
        var (_, none) = await ExchangeAsync(clientId, assertion);
        Assert.Equal(70025, none["error_codes"]![0]!.GetValue<int>());

        Assert.True((await PutFicAsync("agent-identity", "fic", Issuer, $"system:serviceaccount:{Ns}:{Agent}")).Status is HttpStatusCode.OK or HttpStatusCode.Created);
        Server.AdvanceClock(TimeSpan.FromMinutes(11));
        var (_, expired) = await ExchangeAsync(clientId, assertion);
        Assert.Equal(700024, expired["error_codes"]![0]!.GetValue<int>());
    }

    [Fact]
    public async Task AssertionSignedByAnotherKey_FailsSignatureValidation()
    {
        var (clientId, _) = await IdentityAsync((Issuer, $"system:serviceaccount:{Ns}:{Agent}", Exchange));
        var genuine = await ServiceAccountTokenAsync();
        // Same claims, signed by a key the issuer never published.
        var parts = genuine.Split('.');
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var forged = parts[0] + "." + parts[1] + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(signature);
        var (status, body) = await ExchangeAsync(clientId, forged);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(50013, body["error_codes"]![0]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(clientId, genuine)).Status);
    }
}
