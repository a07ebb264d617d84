using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Engine;

/// <summary>
/// A sovereign cloud that lags behind (docs/design/arm-contract.md "API versions a server accepts"): clusters, identities and
/// federated credentials accept only older versions. Lists page two at a time so nextLink is followed after a fallback.
/// </summary>
public sealed class LaggingCloudEmulatorFixture : EmulatorFixture
{
    protected override EmulatorOptions CreateEmulatorOptions()
    {
        var state = DefaultState.Create();
        state.ApiVersions = new()
        {
            // 2022-11-01 has no securityProfile.workloadIdentity: the engine does not know it and must skip it.
            ["Microsoft.ContainerService/managedClusters"] = ["2022-11-01", "2024-02-01"],
            ["Microsoft.ManagedIdentity/userAssignedIdentities"] = ["2018-11-30", "2022-01-31-preview", "2023-01-31"],
            ["Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"] = ["2022-01-31-preview"],
        };
        return new EmulatorOptions { State = state, ListPageSize = 2 };
    }
}

/// <summary>A cloud whose federated credentials accept only a version the engine does not speak.</summary>
public sealed class UnknownVersionsEmulatorFixture : EmulatorFixture
{
    public const string OnlyVersion = "2021-09-30-preview";

    protected override EmulatorOptions CreateEmulatorOptions()
    {
        var state = DefaultState.Create();
        state.ApiVersions = new() { ["Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"] = [OnlyVersion] };
        return new EmulatorOptions { State = state };
    }
}

public class ApiVersionFallbackTests : IClassFixture<LaggingCloudEmulatorFixture>
{
    private const string Subject = "system:serviceaccount:resiliency-system:astronetes-agent";
    private static readonly WriteApproval Yes = (_, _) => true;
    private readonly LaggingCloudEmulatorFixture emulator;

    public ApiVersionFallbackTests(LaggingCloudEmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
    }

    [Fact]
    public async Task OneLineSetupFallsBackOncePerTypeAndTheConnectionRemembers()
    {
        using var connection = emulator.CreateDeployerConnection();
        var recorder = new ArmCallRecorder();

        // One client per step, as cmdlets make them: the fallback must outlive the client that found it.
        var cluster = (await Workflow(connection, recorder).CheckClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default)).Cluster;
        var identity = await Workflow(connection, recorder).EnsureIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "lagging-agent", cluster.Location, null, Yes, default);
        var role = await Workflow(connection, recorder).EnsureRoleAssignmentAsync("/subscriptions/" + emulator.SubscriptionId, "Reader", identity.Resource!.PrincipalId, Yes, default);
        var fic = await Workflow(connection, recorder).EnsureFederatedCredentialAsync(identity.ResourceId, null, cluster.IssuerUrl!, Subject, Yes, default);
        // A rerun finds everything, straight at the fallback versions.
        var readiness = await Workflow(connection, recorder).CheckClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);
        var again = await Workflow(connection, recorder).EnsureFederatedCredentialAsync(identity.ResourceId, null, cluster.IssuerUrl!, Subject, Yes, default);

        Assert.True(readiness.IsReady); // read through 2024-02-01: workload identity is seen
        Assert.Equal(SetupAction.Created, identity.Action);
        Assert.Equal(SetupAction.Created, role.Action);
        Assert.Equal(SetupAction.Created, fic.Action);
        Assert.Equal(SetupAction.Existing, again.Action);
        AssertOneRejectionThenOnly(Requests("managedClusters"), "2025-10-01", "2024-02-01");
        AssertOneRejectionThenOnly(Requests("userAssignedIdentities"), "2024-11-30", "2023-01-31");
        AssertOneRejectionThenOnly(Requests("federatedIdentityCredentials"), "2024-11-30", "2022-01-31-preview");
        Assert.DoesNotContain(emulator.ArmRequests(), r => r.Status == 400 && (r.Path.Contains("roleAssignments") || r.Path.Contains("roleDefinitions")));

        // The observer sees the switch: the rejected attempt, then the same request as attempt 2 with the fallback version.
        var records = recorder.Records.Where(r => r.Path.Contains("/managedClusters/")).ToList();
        Assert.Equal("NoRegisteredProviderFound", records[0].ErrorCode);
        Assert.Contains("api-version=2025-10-01", records[0].Path);
        Assert.Equal(1, records[0].Attempt);
        Assert.Equal(200, records[1].Status);
        Assert.Contains("api-version=2024-02-01", records[1].Path);
        Assert.Equal(2, records[1].Attempt);
        Assert.All(records.Skip(2), r => Assert.Equal(1, r.Attempt));
    }

    [Fact]
    public async Task PagingAfterAFallbackFollowsNextLinkAtTheFallbackVersion()
    {
        using var connection = emulator.CreateDeployerConnection();
        for (var i = 0; i < 3; i++)
            await connection.CreateClient().CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "paged-lag-" + i, "westeurope", null, default);

        var identities = await connection.CreateClient().ListIdentitiesAsync(emulator.SubscriptionId, emulator.ResourceGroup, default);

        Assert.Equal(3, identities.Count);
        var requests = Requests("userAssignedIdentities");
        AssertOneRejectionThenOnly(requests, "2024-11-30", "2023-01-31");
        Assert.Contains(requests, r => r.Method == "GET" && r.Query.Contains("skiptoken", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task EachConnectionNegotiatesForItself()
    {
        using (var first = emulator.CreateDeployerConnection())
            await first.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);
        using (var second = emulator.CreateDeployerConnection())
            await second.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);

        Assert.Equal(2, Requests("managedClusters").Count(r => r.Status == 400));
    }

    private static AgentSetupWorkflow Workflow(ArmConnection connection, ArmCallRecorder recorder) => new(connection.CreateClient(recorder));

    /// <summary>ARM requests for one resource type, told apart by the last type segment of the path.</summary>
    private List<RequestLogEntry> Requests(string type) => emulator.ArmRequests()
        .Where(r => LastType(r.Path).Equals(type, StringComparison.OrdinalIgnoreCase))
        .ToList();

    private static string LastType(string path)
    {
        var segments = path.Trim('/').Split('/');
        var providers = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (providers < 0) return "";
        // providers/{namespace}/{type}[/{name}/{childType}[/{name}]]: types sit at odd offsets after the namespace.
        var types = segments.Skip(providers + 2).Where((_, i) => i % 2 == 0).ToList();
        return types.Count == 0 ? "" : types[^1];
    }

    private static void AssertOneRejectionThenOnly(IReadOnlyList<RequestLogEntry> requests, string preferred, string fallback)
    {
        Assert.True(requests.Count >= 2, $"expected the rejected request and its retry, got {requests.Count}");
        Assert.Equal(400, requests[0].Status);
        Assert.Equal("NoRegisteredProviderFound", requests[0].ErrorCode);
        Assert.Contains("api-version=" + preferred, requests[0].Query);
        Assert.All(requests.Skip(1), r =>
        {
            Assert.Contains("api-version=" + fallback, r.Query);
            Assert.NotEqual(400, r.Status);
        });
    }
}

public class ApiVersionNoKnownFallbackTests : IClassFixture<UnknownVersionsEmulatorFixture>
{
    private readonly UnknownVersionsEmulatorFixture emulator;

    public ApiVersionNoKnownFallbackTests(UnknownVersionsEmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
    }

    [Fact]
    public async Task UnknownOnlyListGivesAnArmExceptionNamingBothListsWithoutRetrying()
    {
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();
        var identity = (await client.CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "no-fic-version", "westeurope", null, default)).Resource;
        var before = emulator.ArmRequests().Count;

        var error = await Assert.ThrowsAsync<ArmException>(() => client.ListFederatedCredentialsAsync(identity.Id, default));

        Assert.Equal(400, error.Status);
        Assert.Equal("NoRegisteredProviderFound", error.ErrorCode);
        Assert.Equal(identity.Id, error.ResourceId);
        Assert.Contains("'" + UnknownVersionsEmulatorFixture.OnlyVersion + "'", error.Message); // what the server supports
        Assert.Contains("'2024-11-30, 2023-01-31, 2022-01-31-preview'", error.Message); // what the module knows
        Assert.Single(emulator.ArmRequests().Skip(before));
    }
}

public class SupportedApiVersionParsingTests
{
    [Theory]
    // A resource provider's NoRegisteredProviderFound (the form docs/design/arm-contract.md gives; preview versions may come upper-case).
    [InlineData("No registered resource provider found for location 'chinaeast2' and API version '2024-11-30' for type 'userAssignedIdentities'. "
                + "The supported api-versions are '2015-08-31-PREVIEW, 2018-11-30, 2022-01-31-PREVIEW, 2023-01-31'. The supported locations are 'chinaeast2, chinanorth3'.",
        new[] { "2015-08-31-PREVIEW", "2018-11-30", "2022-01-31-PREVIEW", "2023-01-31" })]
    // ARM's own InvalidApiVersionParameter (resource groups): comma without space, newest first.
    [InlineData("The api-version '2099-01-01' is invalid. The supported versions are '2022-09-01,2021-04-01'. Please use one of the supported api-versions.",
        new[] { "2022-09-01", "2021-04-01" })]
    [InlineData("The api-version is invalid.", new string[0])]
    public void ReadsTheListFromEitherMessage(string message, string[] expected)
    {
        Assert.Equal(expected, ApiVersionNegotiator.ParseSupported(message));
    }
}
