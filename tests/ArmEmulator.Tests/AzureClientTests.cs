using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>Azure.Identity / Azure.Core (the clients the module uses) against the emulator, with a pinned certificate.</summary>
public sealed class AzureClientTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private HttpClientTransport Transport() => new(PinnedClient.Create(Server.Thumbprint));

    [Theory]
    [InlineData("https://management.azure.com/.default")]
    [InlineData("https://management.azure.com//.default")]
    public async Task ClientSecretCredential_GetsATokenArmAccepts(string scope)
    {
        var credential = new ClientSecretCredential(Server.TenantId, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret,
            new ClientSecretCredentialOptions { AuthorityHost = Server.BaseUri, DisableInstanceDiscovery = true, Transport = Transport() });
        var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), default);
        Assert.False(string.IsNullOrEmpty(token.Token));
        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(30));

        var result = await ArmAsync(HttpMethod.Get, $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version=2025-10-01", token: token.Token);
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.All(Server.Requests.Where(r => r.Path.Contains("oauth2")), r => Assert.Null(r.Body));
    }

    [Fact]
    public async Task ClientSecretCredential_WrongSecret_ThrowsAuthenticationFailed()
    {
        var credential = new ClientSecretCredential(Server.TenantId, EmulatorDefaults.DeployerClientId, "wrong",
            new ClientSecretCredentialOptions { AuthorityHost = Server.BaseUri, DisableInstanceDiscovery = true, Transport = Transport() });
        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(async () =>
            await credential.GetTokenAsync(new TokenRequestContext(["https://management.azure.com/.default"]), default));
        Assert.Contains("AADSTS7000215", e.ToString());
    }

    [Fact]
    public async Task ClientAssertionCredential_ForAManagedIdentity_GetsAToken()
    {
        var clientId = (await PutIdentityAsync("federated")).Json!["properties"]!["clientId"]!.GetValue<string>();
        var assertion = await AgentAssertion.ForIdentityAsync(Server, Http, "federated");
        var credential = new ClientAssertionCredential(Server.TenantId, clientId, () => assertion,
            new ClientAssertionCredentialOptions { AuthorityHost = Server.BaseUri, DisableInstanceDiscovery = true, Transport = Transport() });
        var token = await credential.GetTokenAsync(new TokenRequestContext(["https://management.azure.com/.default"]), default);
        Assert.False(string.IsNullOrEmpty(token.Token));
    }

    [Fact]
    public async Task BearerPolicy_AgainstArm_WithThrottleFault_RetriesAfterRetryAfter()
    {
        Server.AddFaults([new FaultRule { Method = "GET", Path = "managedClusters/aks-ready$", Status = 429, Headers = new() { ["Retry-After"] = "0" }, Times = 1 }]);
        var credential = new ClientSecretCredential(Server.TenantId, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret,
            new ClientSecretCredentialOptions { AuthorityHost = Server.BaseUri, DisableInstanceDiscovery = true, Transport = Transport() });
        var options = new TestClientOptions { Transport = Transport() };
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, "https://management.azure.com//.default"));
        var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri(Server.BaseUri, $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version=2025-10-01"));
        await pipeline.SendAsync(message, default);
        Assert.Equal(200, message.Response.Status);
        var cluster = Server.Requests.Where(r => r.Path.EndsWith("aks-ready")).Select(r => r.Status).ToArray();
        Assert.Equal(new[] { 429, 200 }, cluster);
        Assert.All(Server.Requests.Where(r => r.Path.EndsWith("aks-ready")), r => Assert.False(string.IsNullOrEmpty(r.ClientRequestId)));
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/.default", "https://graph.microsoft.com")]
    [InlineData("https://vault.azure.net/.default", "https://vault.azure.net")]
    [InlineData("https://storage.azure.com/.default", "https://storage.azure.com")]
    public async Task ATokenForAnotherResource_IsRefusedByArm_NotByTheTokenEndpoint(string scope, string audience)
    {
        // Through Azure.Identity and Azure.Core's bearer policy, as the module calls ARM, but with the wrong scope.
        var credential = new ClientSecretCredential(Server.TenantId, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret,
            new ClientSecretCredentialOptions { AuthorityHost = Server.BaseUri, DisableInstanceDiscovery = true, Transport = Transport() });
        var options = new TestClientOptions { Transport = Transport() };
        options.Retry.MaxRetries = 0;
        var pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, scope));
        var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri(Server.BaseUri, $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version=2025-10-01"));
        await pipeline.SendAsync(message, default);

        Assert.Equal(401, message.Response.Status);
        var error = System.Text.Json.Nodes.JsonNode.Parse(message.Response.Content.ToString())!["error"]!;
        Assert.Equal("InvalidAuthenticationTokenAudience", error["code"]!.GetValue<string>());
        Assert.Contains($"wrong audience or resource '{audience}'", error["message"]!.GetValue<string>());
        Assert.Contains(Server.Requests, r => r.Path.Contains("oauth2") && r.Status == 200);
    }

    private sealed class TestClientOptions : ClientOptions { }
}
