using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class AuthenticationTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private static readonly string ClusterPath = $"/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version=2025-10-01";

    private static void AssertChallenge(ArmResult result, string tenantId, Uri baseUri)
    {
        var header = result.Header("WWW-Authenticate");
        Assert.NotNull(header);
        Assert.Matches("^Bearer authorization_uri=\"[^\"]+\", error=\"invalid_token\", error_description=\"[^\"]+\"$", header);
        Assert.Contains($"authorization_uri=\"{baseUri}{tenantId}\"", header);
    }

    [Fact]
    public async Task MissingToken_Is401AuthenticationFailed_WithChallenge()
    {
        var result = await ArmAsync(HttpMethod.Get, ClusterPath, noToken: true);
        AssertError(result, HttpStatusCode.Unauthorized, "AuthenticationFailed");
        AssertChallenge(result, Server.TenantId, Server.BaseUri);
    }

    [Fact]
    public async Task MalformedHeader_Is401AuthenticationFailed()
    {
        var result = await ArmAsync(HttpMethod.Get, ClusterPath, noToken: true, headers: new() { ["Authorization"] = "Basic abc" });
        AssertError(result, HttpStatusCode.Unauthorized, "AuthenticationFailed");
        var empty = await ArmAsync(HttpMethod.Get, ClusterPath, noToken: true, headers: new() { ["Authorization"] = "Bearer" });
        AssertError(empty, HttpStatusCode.Unauthorized, "AuthenticationFailed");
        var garbage = await ArmAsync(HttpMethod.Get, ClusterPath, token: "System.Security.SecureString");
        AssertError(garbage, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken");
        Assert.Equal("The access token is invalid.", garbage.ErrorMessage);
        AssertChallenge(garbage, Server.TenantId, Server.BaseUri);
    }

    [Fact]
    public async Task TamperedToken_Is401InvalidAuthenticationToken()
    {
        var token = await TokenAsync();
        var parts = token.Split('.');
        var other = Server.Runtime.Tokens.Issue("https://management.azure.com", Server.TenantId, EmulatorDefaults.ContributorObjectId,
            EmulatorDefaults.ContributorClientId, "x", TimeSpan.FromHours(1)).Split('.');
        var forged = $"{parts[0]}.{other[1]}.{parts[2]}";
        var result = await ArmAsync(HttpMethod.Get, ClusterPath, token: forged);
        AssertError(result, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken");
        AssertChallenge(result, Server.TenantId, Server.BaseUri);
    }

    [Fact]
    public async Task ExpiredToken_Is401()
    {
        var expired = Server.Runtime.Tokens.Issue("https://management.azure.com/", Server.TenantId, EmulatorDefaults.DeployerObjectId,
            EmulatorDefaults.DeployerClientId, "x", TimeSpan.FromMinutes(-10));
        var result = await ArmAsync(HttpMethod.Get, ClusterPath, token: expired);
        AssertError(result, HttpStatusCode.Unauthorized, "ExpiredAuthenticationToken");
        AssertChallenge(result, Server.TenantId, Server.BaseUri);
    }

    [Fact]
    public async Task WrongAudience_Is401InvalidAuthenticationTokenAudience()
    {
        var token = Server.Runtime.Tokens.Issue("https://graph.microsoft.com", Server.TenantId, EmulatorDefaults.DeployerObjectId,
            EmulatorDefaults.DeployerClientId, "x", TimeSpan.FromHours(1));
        var result = await ArmAsync(HttpMethod.Get, ClusterPath, token: token);
        AssertError(result, HttpStatusCode.Unauthorized, "InvalidAuthenticationTokenAudience");
    }

    [Theory]
    [InlineData("https://management.azure.com")]
    [InlineData("https://management.azure.com/")]
    [InlineData("https://management.core.windows.net")]
    [InlineData("https://management.core.windows.net/")]
    [InlineData("BASE")]
    [InlineData("BASE/")]
    public async Task AcceptedAudiences(string audience)
    {
        if (audience.StartsWith("BASE")) audience = Server.BaseUri.ToString().TrimEnd('/') + audience[4..];
        var token = Server.Runtime.Tokens.Issue(audience, Server.TenantId, EmulatorDefaults.DeployerObjectId, EmulatorDefaults.DeployerClientId, "x", TimeSpan.FromHours(1));
        var result = await ArmAsync(HttpMethod.Get, ClusterPath, token: token);
        Assert.Equal(HttpStatusCode.OK, result.Status);
    }
}
