using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>Subscriptions, resource groups, clusters, common headers and the issuers' discovery documents.</summary>
public sealed class ResourceTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private const string ClusterApi = "2025-10-01";
    private static string Cluster(string name) => $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/{name}?api-version={ClusterApi}";

    [Fact]
    public async Task Subscriptions_ListAndGet()
    {
        var list = await ArmAsync(HttpMethod.Get, "/subscriptions?api-version=2022-12-01");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var sub = Assert.Single(list.Json!["value"]!.AsArray())!;
        Assert.Equal(Sub, sub["subscriptionId"]!.GetValue<string>());
        Assert.Equal(Server.TenantId, sub["tenantId"]!.GetValue<string>());
        Assert.Equal("Enabled", sub["state"]!.GetValue<string>());
        Assert.NotNull(sub["displayName"]);
        var get = await ArmAsync(HttpMethod.Get, $"/subscriptions/{Sub}?api-version=2022-12-01");
        Assert.Equal($"/subscriptions/{Sub}", get.Json!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownSubscription_Is404SubscriptionNotFound()
    {
        var result = await ArmAsync(HttpMethod.Get, "/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg?api-version=2021-04-01");
        AssertError(result, HttpStatusCode.NotFound, "SubscriptionNotFound");
    }

    [Fact]
    public async Task ResourceGroup_GetAndNotFound()
    {
        var rg = await ArmAsync(HttpMethod.Get, $"/subscriptions/{Sub}/resourcegroups/RG-ASTRONETES?api-version=2021-04-01");
        Assert.Equal(HttpStatusCode.OK, rg.Status);
        Assert.Equal("rg-astronetes", rg.Json!["name"]!.GetValue<string>());
        Assert.Equal("westeurope", rg.Json!["location"]!.GetValue<string>());
        Assert.Equal("Succeeded", rg.Json!["properties"]!["provisioningState"]!.GetValue<string>());
        var missing = await ArmAsync(HttpMethod.Get, $"/subscriptions/{Sub}/resourcegroups/rg-nope?api-version=2021-04-01");
        AssertError(missing, HttpStatusCode.NotFound, "ResourceGroupNotFound");
        Assert.Equal("Resource group 'rg-nope' could not be found.", missing.ErrorMessage);
    }

    [Fact]
    public async Task ReadyCluster_HasFullBody()
    {
        var result = await ArmAsync(HttpMethod.Get, Cluster("aks-ready"));
        Assert.Equal(HttpStatusCode.OK, result.Status);
        var p = result.Json!["properties"]!;
        foreach (var field in new[] { "kubernetesVersion", "dnsPrefix", "fqdn", "nodeResourceGroup", "agentPoolProfiles", "provisioningState" })
            Assert.NotNull(p[field]);
        Assert.Equal("msi", p["servicePrincipalProfile"]!["clientId"]!.GetValue<string>());
        Assert.Equal("SystemAssigned", result.Json["identity"]!["type"]!.GetValue<string>());
        Assert.NotNull(result.Json["identity"]!["principalId"]);
        Assert.Equal(Server.TenantId, result.Json["identity"]!["tenantId"]!.GetValue<string>());
        Assert.NotNull(result.Json["sku"]);
        Assert.True(p["oidcIssuerProfile"]!["enabled"]!.GetValue<bool>());
        var issuer = p["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>();
        Assert.Equal($"{Server.BaseUri}oic/westeurope/{Server.TenantId}/{EmulatorDefaults.ClusterReadyIssuerId}/", issuer);
        Assert.Null(p["oidcIssuerProfile"]!["issuerUrl"]);
        Assert.True(p["securityProfile"]!["workloadIdentity"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task NoOidcCluster_OmitsIssuer_AndNoWiClusterHasWorkloadIdentityOff()
    {
        var noOidc = (await ArmAsync(HttpMethod.Get, Cluster("aks-no-oidc"))).Json!["properties"]!;
        Assert.False(noOidc["oidcIssuerProfile"]!["enabled"]!.GetValue<bool>());
        Assert.False(noOidc["oidcIssuerProfile"]!.AsObject().ContainsKey("issuerURL"));
        // Workload identity off is an empty securityProfile, as recorded from real AKS.
        Assert.Empty(noOidc["securityProfile"]!.AsObject());
        var noWi = (await ArmAsync(HttpMethod.Get, Cluster("aks-no-wi"))).Json!["properties"]!;
        Assert.True(noWi["oidcIssuerProfile"]!["enabled"]!.GetValue<bool>());
        Assert.NotNull(noWi["oidcIssuerProfile"]!["issuerURL"]);
        Assert.Empty(noWi["securityProfile"]!.AsObject());
    }

    [Fact]
    public async Task MissingCluster_Is404ResourceNotFound()
    {
        var result = await ArmAsync(HttpMethod.Get, Cluster("aks-nope"));
        AssertError(result, HttpStatusCode.NotFound, "ResourceNotFound");
        Assert.StartsWith("The Resource 'Microsoft.ContainerService/managedClusters/aks-nope' under resource group 'rg-astronetes' was not found.", result.ErrorMessage);
        var rgMissing = await ArmAsync(HttpMethod.Get, $"/subscriptions/{Sub}/resourceGroups/rg-x/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version={ClusterApi}");
        AssertError(rgMissing, HttpStatusCode.NotFound, "ResourceGroupNotFound");
    }

    [Fact]
    public async Task PathsMatchCaseInsensitively_AndKeepCreatedCase()
    {
        var result = await ArmAsync(HttpMethod.Get,
            $"/SUBSCRIPTIONS/{Sub.ToUpperInvariant()}/ResourceGroups/RG-Astronetes/PROVIDERS/microsoft.containerservice/MANAGEDCLUSTERS/AKS-READY?api-version={ClusterApi}");
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("aks-ready", result.Json!["name"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("MyAgent-Identity")).Status);
        var id = await ArmAsync(HttpMethod.Get,
            $"/subscriptions/{Sub}/resourcegroups/rg-astronetes/providers/microsoft.managedidentity/userassignedidentities/myagent-identity?api-version={IdentityApi}");
        Assert.Equal(HttpStatusCode.OK, id.Status);
        Assert.Equal("MyAgent-Identity", id.Json!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task EveryResponse_HasArmHeaders_AndEchoesCorrelationId()
    {
        var correlation = Guid.NewGuid().ToString();
        var ok = await ArmAsync(HttpMethod.Get, Cluster("aks-ready"), headers: new() { ["x-ms-correlation-request-id"] = correlation, ["x-ms-client-request-id"] = "client-1" });
        Assert.NotNull(ok.Header("x-ms-request-id"));
        Assert.Equal(correlation, ok.Header("x-ms-correlation-request-id"));
        Assert.NotNull(ok.Header("x-ms-ratelimit-remaining-subscription-reads"));
        var error = await ArmAsync(HttpMethod.Get, Cluster("aks-ready"), noToken: true);
        Assert.NotNull(error.Header("x-ms-request-id"));
        Assert.NotNull(error.Header("x-ms-correlation-request-id"));
        var write = await PutIdentityAsync("id-headers");
        Assert.NotNull(write.Header("x-ms-ratelimit-remaining-subscription-writes"));
        var entry = Server.Requests.First(r => r.ClientRequestId == "client-1");
        Assert.Equal(200, entry.Status);
    }

    [Theory]
    [InlineData("aks-ready", EmulatorDefaults.ClusterReadyIssuerId)]
    [InlineData("aks-no-wi", EmulatorDefaults.ClusterNoWorkloadIdentityIssuerId)]
    public async Task IssuerDiscoveryDocument_NamesTheSameIssuer(string cluster, string issuerId)
    {
        var body = await ArmAsync(HttpMethod.Get, Cluster(cluster));
        var issuer = body.Json!["properties"]!["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>();
        Assert.EndsWith(issuerId + "/", issuer);
        var response = await Http.GetAsync(issuer + ".well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(issuer, doc["issuer"]!.GetValue<string>());
        var jwks = await Http.GetAsync(doc["jwks_uri"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
    }

    [Fact]
    public async Task NoOidcCluster_HasNoDiscoveryDocument()
    {
        var response = await Http.GetAsync($"/oic/westeurope/{Server.TenantId}/{EmulatorDefaults.ClusterNoOidcIssuerId}/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Provider_ListsApiVersions()
    {
        var result = await ArmAsync(HttpMethod.Get, $"/subscriptions/{Sub}/providers/Microsoft.ManagedIdentity?api-version=2022-09-01");
        Assert.Equal(HttpStatusCode.OK, result.Status);
        var types = result.Json!["resourceTypes"]!.AsArray();
        Assert.Contains(types, t => t!["resourceType"]!.GetValue<string>() == "userAssignedIdentities");
    }
}
