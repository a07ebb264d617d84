using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Engine.Exchange;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Engine;

/// <summary>
/// The end-to-end exchange check against the emulator's clusters and Entra ID: a correct setup passes every check, and
/// each broken link fails at its own step with its own cause.
/// </summary>
public sealed class ExchangeCheckTests : IClassFixture<ExchangeEmulatorFixture>, IDisposable
{
    private const string Ns = "resiliency-system";
    private const string Agent = "agent-1";
    private const string Subject = "system:serviceaccount:resiliency-system:agent-1";
    private const string Audience = "api://AzureADTokenExchange";
    private readonly ExchangeEmulatorFixture emulator;
    private readonly ArmConnection connection;
    private readonly ArmRestClient client;

    public ExchangeCheckTests(ExchangeEmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
        connection = emulator.CreateDeployerConnection();
        client = connection.CreateClient();
    }

    public void Dispose() => connection.Dispose();

    private string SubscriptionScope => "/subscriptions/" + emulator.SubscriptionId;
    private string IssuerOf(string issuerId) => $"{emulator.Server.BaseUri}oic/{EmulatorDefaults.Location}/{EmulatorDefaults.TenantId}/{issuerId}/";
    private string Issuer => IssuerOf(EmulatorDefaults.ClusterReadyIssuerId);

    private sealed record AgentIdentity(string Id, string ClientId, string PrincipalId);

    /// <summary>The identity, and optionally its credential and Reader at the subscription, made through the engine.</summary>
    private async Task<AgentIdentity> IdentityAsync(string name = "agent-identity", string? issuer = null, string subject = Subject,
        string audience = Audience, bool credential = true, bool role = true)
    {
        var identity = (await client.CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, name, EmulatorDefaults.Location, null, default)).Resource;
        if (credential) await PutCredentialAsync(identity.Id, issuer ?? Issuer, subject, audience);
        if (role)
            await client.CreateRoleAssignmentAsync(SubscriptionScope, Guid.NewGuid().ToString(),
                $"{SubscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/{EmulatorDefaults.ReaderRoleId}", identity.PrincipalId, "ServicePrincipal", default);
        return new AgentIdentity(identity.Id, identity.ClientId, identity.PrincipalId);
    }

    private ExchangeCheckSpec Spec(AgentIdentity identity, string cluster = EmulatorDefaults.ClusterReady, bool create = true) => new()
    {
        SubscriptionId = emulator.SubscriptionId, ResourceGroupName = emulator.ResourceGroup, ClusterName = cluster, Namespace = Ns,
        ServiceAccountName = Agent, TenantId = EmulatorDefaults.TenantId, IdentityClientId = identity.ClientId, Scope = SubscriptionScope,
        CreateServiceAccount = create, PropagationBound = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(200),
    };

    private async Task<IReadOnlyList<ExchangeCheckResult>> RunAsync(ExchangeCheckSpec spec, List<ExchangeProgress>? progress = null)
    {
        var results = await new ExchangeCheck(connection).RunAsync(spec, (_, _) => true, progress is null ? null : new SyncProgress(progress), default);
        // No token in any result: a JWT starts with "eyJ" ({"alg"...} in base64url).
        Assert.All(results, r => Assert.DoesNotContain("eyJ", r.Detail + r.Fix));
        return results;
    }

    private static ExchangeCheckResult Only(IReadOnlyList<ExchangeCheckResult> results, string check) => Assert.Single(results, r => r.Check == check);

    private static void AssertFailsAt(IReadOnlyList<ExchangeCheckResult> results, string check, string detailContains)
    {
        var failed = Assert.Single(results, r => r.Result == CheckOutcome.Fail);
        Assert.Equal(check, failed.Check);
        Assert.Contains(detailContains, failed.Detail);
        Assert.False(string.IsNullOrEmpty(failed.Fix));
    }

    [Fact]
    public async Task CorrectSetup_PassesEveryCheck_WithTheTokensClaimsButNoToken()
    {
        var identity = await IdentityAsync();
        var first = await RunAsync(Spec(identity));
        Assert.Contains("created", Only(first, ExchangeChecks.ServiceAccount).Detail);
        Assert.Equal(CheckOutcome.Warn, Only(first, ExchangeChecks.AgentPods).Result); // no pods yet is a Warn, not a Fail

        emulator.Server.AddPod(EmulatorDefaults.ClusterReady, Ns, "agent-1-0", Agent, new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" });
        var results = await RunAsync(Spec(identity, create: false));
        Assert.Equal(
            [ExchangeChecks.ClusterCredentials, ExchangeChecks.ApiServer, ExchangeChecks.ServiceAccount, ExchangeChecks.ServiceAccountToken,
             ExchangeChecks.TokenExchange, ExchangeChecks.ArmAsAgent, ExchangeChecks.ServiceAccountAnnotation, ExchangeChecks.AgentPods],
            results.Select(r => r.Check));
        Assert.All(results, r => Assert.Equal(CheckOutcome.Pass, r.Result));
        var token = Only(results, ExchangeChecks.ServiceAccountToken).Detail;
        Assert.Contains($"iss={Issuer}", token);
        Assert.Contains($"sub={Subject}", token);
        Assert.Contains($"aud={Audience}", token);
        Assert.Contains("exp=", token);
        Assert.Contains($"oid={identity.PrincipalId}", Only(results, ExchangeChecks.TokenExchange).Detail);
    }

    [Fact]
    public async Task ServiceAccountMissing_IsTheAgentNotDeployedYet()
    {
        var identity = await IdentityAsync();
        var results = await RunAsync(Spec(identity, create: false));
        AssertFailsAt(results, ExchangeChecks.ServiceAccount, "the agent has not been deployed yet");
        Assert.Contains("-CreateServiceAccount", Only(results, ExchangeChecks.ServiceAccount).Fix);
        Assert.DoesNotContain(results, r => r.Check == ExchangeChecks.TokenExchange);
    }

    [Fact]
    public async Task CreateServiceAccount_DeclinedByApproval_CreatesNothing()
    {
        var identity = await IdentityAsync();
        var results = await new ExchangeCheck(connection).RunAsync(Spec(identity), (_, _) => false);
        AssertFailsAt(results, ExchangeChecks.ServiceAccount, "not been deployed");
        Assert.DoesNotContain(emulator.Server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/serviceaccounts"));
    }

    public static TheoryData<string, string, string, string> BrokenCredentials => new()
    {
        // name, FIC issuer ({issuer}, {no-slash}, {old}), FIC subject, AADSTS code expected in Detail
        { "subject differing in case", "{issuer}", "system:serviceaccount:resiliency-system:Agent-1", "AADSTS700213" },
        { "wrong namespace", "{issuer}", "system:serviceaccount:default:agent-1", "AADSTS700213" },
        { "issuer without its trailing slash", "{no-slash}", Subject, "AADSTS700211" },
        { "credential left on the old issuer", "{old}", Subject, "AADSTS700211" },
    };

    [Theory]
    [MemberData(nameof(BrokenCredentials))]
    public async Task BrokenCredential_FailsTheExchange_WithItsCode(string name, string issuer, string subject, string code)
    {
        _ = name;
        var fic = issuer switch
        {
            "{issuer}" => Issuer,
            "{no-slash}" => Issuer.TrimEnd('/'),
            _ => IssuerOf("9f8e7d6c-5b4a-4392-8a1b-0c9d8e7f6a5b"), // the cluster before it was re-created
        };
        var results = await RunAsync(Spec(await IdentityAsync(issuer: fic, subject: subject)));
        AssertFailsAt(results, ExchangeChecks.TokenExchange, code);
        var failed = Only(results, ExchangeChecks.TokenExchange);
        if (code == "AADSTS700211") Assert.Contains($"'{Issuer}'", failed.Fix);
        else Assert.Contains($"'{Subject}'", failed.Fix);
        Assert.DoesNotContain(results, r => r.Check == ExchangeChecks.ArmAsAgent);
    }

    [Fact]
    public async Task WrongAudience_Is700212()
    {
        var results = await RunAsync(Spec(await IdentityAsync(audience: "api://AzureADTokenExchange/")));
        AssertFailsAt(results, ExchangeChecks.TokenExchange, "AADSTS700212");
        Assert.Contains(Audience, Only(results, ExchangeChecks.TokenExchange).Fix);
    }

    [Fact]
    public async Task NoCredential_Is70025()
    {
        var results = await RunAsync(Spec(await IdentityAsync(credential: false)));
        AssertFailsAt(results, ExchangeChecks.TokenExchange, "AADSTS70025");
    }

    [Fact]
    public async Task ExpiredServiceAccountToken_Is700024_AndPointsAtTheClock()
    {
        var identity = await IdentityAsync(issuer: IssuerOf("3e4f5061-7283-49a4-b5c6-d7e8f90a1b2c"));
        var results = await RunAsync(Spec(identity, ExchangeEmulatorFixture.SkewedCluster));
        AssertFailsAt(results, ExchangeChecks.TokenExchange, "AADSTS700024");
        Assert.Contains("clock", Only(results, ExchangeChecks.TokenExchange).Fix);
    }

    [Fact]
    public async Task NoRoleAssignment_Is403AtTheScope_AfterWaitingTheBound()
    {
        var progress = new List<ExchangeProgress>();
        var results = await RunAsync(Spec(await IdentityAsync(role: false)), progress);
        AssertFailsAt(results, ExchangeChecks.ArmAsAgent, "403 AuthorizationFailed");
        Assert.Equal(CheckOutcome.Pass, Only(results, ExchangeChecks.TokenExchange).Result);
        Assert.Contains(progress, p => p.Check == ExchangeChecks.ArmAsAgent && !p.Completed && p.Status.Contains("waiting for the role assignment"));
        Assert.True(progress.Last(p => p.Check == ExchangeChecks.ArmAsAgent).Completed);
    }

    [Theory]
    [InlineData(null, "has no azure.workload.identity/client-id annotation")]
    [InlineData("00000000-1111-4222-8333-444444444444", "another identity")]
    public async Task ClientIdAnnotation_MissingOrNamingAnotherIdentity_Fails(string? annotation, string detail)
    {
        var identity = await IdentityAsync();
        await RunAsync(Spec(identity)); // creates the service account with the right annotation
        await PatchAnnotationAsync(annotation);
        var results = await RunAsync(Spec(identity, create: false));
        AssertFailsAt(results, ExchangeChecks.ServiceAccountAnnotation, detail);
    }

    [Fact]
    public async Task PodWithoutTheLabel_Fails_AndAPodFromBeforeTheAnnotationChanged_NeedsARestart()
    {
        var identity = await IdentityAsync();
        await RunAsync(Spec(identity));
        emulator.Server.AddPod(EmulatorDefaults.ClusterReady, Ns, "unlabelled", Agent);
        var results = await RunAsync(Spec(identity, create: false));
        AssertFailsAt(results, ExchangeChecks.AgentPods, "pod unlabelled lacks the label azure.workload.identity/use");

        emulator.Reset();
        identity = await IdentityAsync();
        await RunAsync(Spec(identity));
        await PatchAnnotationAsync("00000000-1111-4222-8333-444444444444");
        emulator.Server.AddPod(EmulatorDefaults.ClusterReady, Ns, "stale", Agent, new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" });
        await PatchAnnotationAsync(identity.ClientId);
        results = await RunAsync(Spec(identity, create: false));
        AssertFailsAt(results, ExchangeChecks.AgentPods, "pod stale has AZURE_CLIENT_ID=00000000-1111-4222-8333-444444444444");
        Assert.Contains("restart", Only(results, ExchangeChecks.AgentPods).Detail);
    }

    [Fact]
    public async Task EntraIntegratedCluster_UsesAnAksServerAppToken_InPlaceOfKubelogin()
    {
        var identity = await IdentityAsync(issuer: IssuerOf("4f506172-8394-4ab5-c6d7-e8f90a1b2c3d"));
        var results = await RunAsync(Spec(identity, ExchangeEmulatorFixture.EntraCluster));
        Assert.Contains("6dae42f8-4368-4678-94ff-3960e28e3630", Only(results, ExchangeChecks.ClusterCredentials).Detail);
        Assert.All(results.Where(r => r.Check != ExchangeChecks.AgentPods), r => Assert.Equal(CheckOutcome.Pass, r.Result));
        Assert.Contains(emulator.Server.Requests, r => r.Path.EndsWith("/oauth2/v2.0/token"));
    }

    [Fact]
    public async Task AdminCredential_IsListedWithItsOwnOperation()
    {
        var identity = await IdentityAsync();
        var spec = Spec(identity);
        spec.Admin = true;
        var results = await RunAsync(spec);
        Assert.StartsWith("listClusterAdminCredential", Only(results, ExchangeChecks.ClusterCredentials).Detail);
        Assert.Contains(emulator.Server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/listClusterAdminCredential"));
    }

    [Fact]
    public async Task BadInput_IsRefusedBeforeAnyCall()
    {
        var spec = Spec(new AgentIdentity("", "not-a-guid", ""));
        await Assert.ThrowsAsync<InputValidationException>(() => new ExchangeCheck(connection).RunAsync(spec));
        Assert.Empty(emulator.Server.Requests);
    }

    /// <summary>
    /// Straight to ARM, as the portal or another tool would write it: the engine's own validation refuses some of the
    /// broken values (an upper-case subject) before any call.
    /// </summary>
    private async Task PutCredentialAsync(string identityId, string issuer, string subject, string audience)
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == emulator.Server.Thumbprint })
        { BaseAddress = emulator.Server.BaseUri };
        var token = System.Text.Json.Nodes.JsonNode.Parse(await (await http.PostAsync($"/{EmulatorDefaults.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = EmulatorDefaults.DeployerClientId, ["client_secret"] = EmulatorDefaults.DeployerClientSecret,
            ["scope"] = "https://management.azure.com/.default",
        }))).Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        var request = new HttpRequestMessage(HttpMethod.Put, $"{identityId}/federatedIdentityCredentials/agent-fic?api-version=2024-11-30")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { properties = new { issuer, subject, audiences = new[] { audience } } }),
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", token);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    private async Task PatchAnnotationAsync(string? clientId)
    {
        var kubeconfig = AstronetesWorkloadIdentity.Engine.Kubernetes.Kubeconfig.Parse(
            await client.ListClusterCredentialAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, true, default));
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == emulator.Server.Thumbprint });
        var request = new HttpRequestMessage(HttpMethod.Patch, $"{kubeconfig.Server}/api/v1/namespaces/{Ns}/serviceaccounts/{Agent}")
        {
            Content = new StringContent("{\"metadata\":{\"annotations\":{\"azure.workload.identity/client-id\":" + (clientId is null ? "null" : $"\"{clientId}\"") + "}}}",
                System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        request.Headers.Authorization = new("Bearer", kubeconfig.Token);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>Progress that records synchronously (Progress&lt;T&gt; posts to the thread pool, so order would be lost).</summary>
    private sealed class SyncProgress(List<ExchangeProgress> into) : IProgress<ExchangeProgress>
    {
        public void Report(ExchangeProgress value) { lock (into) into.Add(value); }
    }
}

/// <summary>A role assignment made a moment ago is "not yet", not "broken": the check waits for it within the bound.</summary>
public sealed class ExchangePropagationTests(SlowRolePropagationFixture emulator) : IClassFixture<SlowRolePropagationFixture>
{
    [Fact]
    public async Task FreshRoleAssignment_IsWaitedFor_WithProgress_AndThenPasses()
    {
        emulator.Reset();
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();
        var scope = "/subscriptions/" + emulator.SubscriptionId;
        var identity = (await client.CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "agent-identity", EmulatorDefaults.Location, null, default)).Resource;
        var issuer = $"{emulator.Server.BaseUri}oic/{EmulatorDefaults.Location}/{EmulatorDefaults.TenantId}/{EmulatorDefaults.ClusterReadyIssuerId}/";
        await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "agent-fic", issuer, "system:serviceaccount:resiliency-system:agent-1", "api://AzureADTokenExchange", default);
        await client.CreateRoleAssignmentAsync(scope, Guid.NewGuid().ToString(),
            $"{scope}/providers/Microsoft.Authorization/roleDefinitions/{EmulatorDefaults.ReaderRoleId}", identity.PrincipalId, "ServicePrincipal", default);

        var progress = new List<ExchangeProgress>();
        var results = await new ExchangeCheck(connection).RunAsync(new ExchangeCheckSpec
        {
            SubscriptionId = emulator.SubscriptionId, ResourceGroupName = emulator.ResourceGroup, ClusterName = EmulatorDefaults.ClusterReady,
            ServiceAccountName = "agent-1", TenantId = EmulatorDefaults.TenantId, IdentityClientId = identity.ClientId, Scope = scope,
            CreateServiceAccount = true, PropagationBound = TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromMilliseconds(200),
        }, (_, _) => true, new Recorder(progress, p =>
        {
            // The first "not yet": let the assignment propagate (on the emulator's clock) while the check waits.
            if (p.Check == ExchangeChecks.ArmAsAgent && !p.Completed) emulator.Server.AdvanceClock(SlowRolePropagationFixture.Delay);
        }));

        Assert.Equal(CheckOutcome.Pass, Assert.Single(results, r => r.Check == ExchangeChecks.ArmAsAgent).Result);
        Assert.Contains(progress, p => p.Check == ExchangeChecks.ArmAsAgent && !p.Completed && p.Status.StartsWith("403 AuthorizationFailed: waiting"));
        Assert.Single(emulator.Server.Requests, r => r.Status == 403);
    }

    private sealed class Recorder(List<ExchangeProgress> into, Action<ExchangeProgress> then) : IProgress<ExchangeProgress>
    {
        public void Report(ExchangeProgress value)
        {
            lock (into) into.Add(value);
            then(value);
        }
    }
}
