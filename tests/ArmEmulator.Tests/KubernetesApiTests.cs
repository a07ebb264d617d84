using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>The emulator's Kubernetes API driven by the official Kubernetes client, from the kubeconfig ARM hands out.</summary>
public sealed class KubernetesApiTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private const string Ns = "resiliency-system";
    private static readonly string ClusterPath = $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/{EmulatorDefaults.ClusterReady}";

    private async Task<string> KubeconfigAsync(string operation = "listClusterUserCredential", string? clientId = null, string? secret = null)
    {
        var result = await ArmAsync(HttpMethod.Post, $"{ClusterPath}/{operation}?api-version=2025-10-01", clientId: clientId, secret: secret);
        Assert.Equal(HttpStatusCode.OK, result.Status);
        var entry = result.Json!["kubeconfigs"]![0]!;
        Assert.Equal(operation.Contains("Admin") ? "clusterAdmin" : "clusterUser", entry["name"]!.GetValue<string>());
        return Encoding.UTF8.GetString(Convert.FromBase64String(entry["value"]!.GetValue<string>()));
    }

    private async Task<Kubernetes> ClientAsync(string operation = "listClusterUserCredential")
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(await KubeconfigAsync(operation)));
        return new Kubernetes(await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream));
    }

    [Fact]
    public async Task OfficialClient_FromUserKubeconfig_CreatesServiceAccount_AndGetsAVerifiableToken()
    {
        using var client = await ClientAsync();
        var created = await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta { Name = "agent-1", Annotations = new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "c1" } },
        }, Ns);
        Assert.Equal("agent-1", created.Metadata.Name);
        Assert.Equal("c1", created.Metadata.Annotations["azure.workload.identity/client-id"]);

        var request = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec { Audiences = ["api://AzureADTokenExchange"], ExpirationSeconds = 600 },
        }, "agent-1", Ns);
        Assert.NotNull(request.Status.ExpirationTimestamp);
        var jwt = new JsonWebToken(request.Status.Token);
        var issuer = $"{Server.BaseUri}oic/{EmulatorDefaults.Location}/{Server.TenantId}/{EmulatorDefaults.ClusterReadyIssuerId}/";
        Assert.Equal(issuer, jwt.Issuer);
        Assert.Equal("system:serviceaccount:resiliency-system:agent-1", jwt.Subject);
        Assert.Equal(["api://AzureADTokenExchange"], jwt.Audiences);
        Assert.Equal("RS256", jwt.Alg);
        Assert.False(string.IsNullOrEmpty(jwt.Kid));
        Assert.Equal(600, (jwt.ValidTo - jwt.IssuedAt).TotalSeconds);
        var k8sClaim = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload))!["kubernetes.io"]!;
        Assert.Equal(Ns, k8sClaim["namespace"]!.GetValue<string>());
        Assert.Equal("agent-1", k8sClaim["serviceaccount"]!["name"]!.GetValue<string>());
        Assert.Equal(created.Metadata.Uid, k8sClaim["serviceaccount"]!["uid"]!.GetValue<string>());

        // The signature verifies against the keys the issuer's discovery document points at, and against no other key.
        var discovery = JsonNode.Parse(await Http.GetStringAsync(issuer + ".well-known/openid-configuration"))!;
        Assert.Equal(issuer, discovery["issuer"]!.GetValue<string>());
        var jwks = new JsonWebKeySet(await Http.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>()));
        var handler = new JsonWebTokenHandler();
        var valid = await handler.ValidateTokenAsync(request.Status.Token, new TokenValidationParameters
        {
            ValidIssuer = issuer, ValidAudience = "api://AzureADTokenExchange", IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(valid.IsValid, valid.Exception?.Message);
        var otherIssuer = $"{Server.BaseUri}oic/{EmulatorDefaults.Location}/{Server.TenantId}/{EmulatorDefaults.ClusterNoWorkloadIdentityIssuerId}/openid/v1/jwks";
        var wrong = await handler.ValidateTokenAsync(request.Status.Token, new TokenValidationParameters
        {
            ValidIssuer = issuer, ValidAudience = "api://AzureADTokenExchange", IssuerSigningKeys = new JsonWebKeySet(await Http.GetStringAsync(otherIssuer)).GetSigningKeys(),
        });
        Assert.False(wrong.IsValid);
    }

    [Fact]
    public async Task MissingAndDuplicateServiceAccounts_AreKubernetesStatusObjects()
    {
        using var client = await ClientAsync();
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedServiceAccountAsync("nobody", Ns));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        var status = JsonNode.Parse(missing.Response.Content)!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal("serviceaccounts \"nobody\" not found", status["message"]!.GetValue<string>());

        var sa = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "twice" } };
        await client.CoreV1.CreateNamespacedServiceAccountAsync(sa, Ns);
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedServiceAccountAsync(sa, Ns));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal("AlreadyExists", JsonNode.Parse(conflict.Response.Content)!["reason"]!.GetValue<string>());

        var noNamespace = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedServiceAccountAsync(sa, "not-there"));
        Assert.Equal(HttpStatusCode.NotFound, noNamespace.Response.StatusCode);
        var namespaces = await client.CoreV1.ListNamespaceAsync();
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == Ns);
    }

    [Fact]
    public async Task MergePatch_SetsAndRemovesAnnotations()
    {
        using var client = await ClientAsync();
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta { Name = "patched", Annotations = new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2" } },
        }, Ns);
        var patch = new V1Patch("{\"metadata\":{\"annotations\":{\"azure.workload.identity/client-id\":\"abc\",\"drop\":null}}}", V1Patch.PatchType.MergePatch);
        var patched = await client.CoreV1.PatchNamespacedServiceAccountAsync(patch, "patched", Ns);
        Assert.Equal(new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "abc", ["keep"] = "1" }, patched.Metadata.Annotations);
        var read = await client.CoreV1.ReadNamespacedServiceAccountAsync("patched", Ns);
        Assert.Equal("abc", read.Metadata.Annotations["azure.workload.identity/client-id"]);
    }

    [Fact]
    public async Task TokenRequest_ShorterThanTenMinutes_IsInvalid()
    {
        using var client = await ClientAsync();
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "short" } }, Ns);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = ["x"], ExpirationSeconds = 60 } }, "short", Ns));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);
    }

    [Fact]
    public async Task Pods_ListedByServiceAccount_OnlyTheLabelledOneIsMutated()
    {
        using var client = await ClientAsync("listClusterAdminCredential");
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta { Name = "agent-1", Annotations = new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "cid" } },
        }, Ns);
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "other" } }, Ns);
        Server.AddPod(EmulatorDefaults.ClusterReady, Ns, "labelled", "agent-1", new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" });
        Server.AddPod(EmulatorDefaults.ClusterReady, Ns, "plain", "agent-1");
        Server.AddPod(EmulatorDefaults.ClusterReady, Ns, "someone-else", "other", new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" });

        var pods = await client.CoreV1.ListNamespacedPodAsync(Ns, fieldSelector: "spec.serviceAccountName=agent-1");
        Assert.Equal(["labelled", "plain"], pods.Items.Select(p => p.Metadata.Name).Order());
        var labelled = pods.Items.Single(p => p.Metadata.Name == "labelled");
        var env = labelled.Spec.Containers[0].Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("cid", env["AZURE_CLIENT_ID"]);
        Assert.Equal(Server.TenantId, env["AZURE_TENANT_ID"]);
        Assert.Equal("/var/run/secrets/azure/tokens/azure-identity-token", env["AZURE_FEDERATED_TOKEN_FILE"]);
        var projected = labelled.Spec.Volumes.Single().Projected.Sources.Single().ServiceAccountToken;
        Assert.Equal("api://AzureADTokenExchange", projected.Audience);
        var plain = pods.Items.Single(p => p.Metadata.Name == "plain");
        Assert.Null(plain.Spec.Containers[0].Env);
        Assert.Null(plain.Spec.Volumes);
    }

    [Fact]
    public async Task ApiServer_RefusesATokenNobodyWasHanded()
    {
        var kubeconfig = await KubeconfigAsync();
        var server = kubeconfig.Split('\n').Single(l => l.TrimStart().StartsWith("server:")).Split("server:")[1].Trim();
        var request = new HttpRequestMessage(HttpMethod.Get, server + "/api/v1/namespaces");
        request.Headers.Authorization = new("Bearer", "made-up");
        var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>());

    }

    [Fact]
    public async Task EntraIntegratedCluster_UserKubeconfigRunsKubelogin_AndTheApiServerTakesAnAksServerAppToken()
    {
        var state = DefaultState.Create();
        state.Clusters.Single(c => c.Name == EmulatorDefaults.ClusterReady).Kubernetes.EntraIntegrated = true;
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { State = state });
        using var http = PinnedClient.Create(server.Thumbprint, server.BaseUri);
        var token = JsonNode.Parse(await (await http.PostAsync($"/{server.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = EmulatorDefaults.DeployerClientId, ["client_secret"] = EmulatorDefaults.DeployerClientSecret,
            ["scope"] = "https://management.azure.com/.default",
        }))).Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        var list = new HttpRequestMessage(HttpMethod.Post, $"{ClusterPath}/listClusterUserCredential?api-version=2025-10-01");
        list.Headers.Authorization = new("Bearer", token);
        var kubeconfig = Encoding.UTF8.GetString(Convert.FromBase64String(JsonNode.Parse(await (await http.SendAsync(list)).Content.ReadAsStringAsync())!["kubeconfigs"]![0]!["value"]!.GetValue<string>()));
        Assert.Contains("command: kubelogin", kubeconfig);
        Assert.Contains("6dae42f8-4368-4678-94ff-3960e28e3630", kubeconfig);
        Assert.DoesNotContain("token:", kubeconfig);
        var serverUrl = kubeconfig.Split('\n').Single(l => l.TrimStart().StartsWith("server:")).Split("server:")[1].Trim();

        var aks = JsonNode.Parse(await (await http.PostAsync($"/{server.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = EmulatorDefaults.DeployerClientId, ["client_secret"] = EmulatorDefaults.DeployerClientSecret,
            ["scope"] = "6dae42f8-4368-4678-94ff-3960e28e3630/.default",
        }))).Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        async Task<HttpStatusCode> Get(string bearer)
        {
            var r = new HttpRequestMessage(HttpMethod.Get, serverUrl + "/api/v1/namespaces/resiliency-system");
            r.Headers.Authorization = new("Bearer", bearer);
            return (await http.SendAsync(r)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, await Get(aks));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get(token)); // an ARM token is for another audience
    }

    [Fact]
    public async Task ReaderAlone_CannotListClusterCredentials()
    {
        var state = DefaultState.Create();
        state.Principals.Add(new PrincipalState { ObjectId = "0a0b0c0d-0000-4000-8000-000000000001", AppId = "0a0b0c0d-0000-4000-8000-000000000002",
            DisplayName = "reader", ClientSecret = "reader-secret" });
        state.RoleAssignments.Add(new RoleAssignmentState { Name = Guid.NewGuid().ToString(), Scope = "/subscriptions/" + Sub,
            RoleDefinitionName = EmulatorDefaults.ReaderRoleId, PrincipalId = "0a0b0c0d-0000-4000-8000-000000000001", PrincipalType = "ServicePrincipal" });
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { State = state });
        using var http = PinnedClient.Create(server.Thumbprint, server.BaseUri);
        var token = JsonNode.Parse(await (await http.PostAsync($"/{server.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "0a0b0c0d-0000-4000-8000-000000000002", ["client_secret"] = "reader-secret",
            ["scope"] = "https://management.azure.com/.default",
        }))).Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        async Task<HttpResponseMessage> Post(string op)
        {
            var r = new HttpRequestMessage(HttpMethod.Post, $"{ClusterPath}/{op}?api-version=2025-10-01");
            r.Headers.Authorization = new("Bearer", token);
            return await http.SendAsync(r);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("listClusterUserCredential")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("listClusterAdminCredential")).StatusCode);
        var read = new HttpRequestMessage(HttpMethod.Get, $"{ClusterPath}?api-version=2025-10-01");
        read.Headers.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(read)).StatusCode);
    }
}
