using ArmEmulator;
using Azure;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Engine;

public class ArmRestClientTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture emulator;

    public ArmRestClientTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
    }

    [Fact]
    public async Task ReadyClusterIsReadFromTheFullBody()
    {
        using var connection = emulator.CreateDeployerConnection();
        var cluster = await connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);

        Assert.True(cluster.OidcIssuerEnabled);
        Assert.True(cluster.WorkloadIdentityEnabled);
        Assert.EndsWith("/" + EmulatorDefaults.ClusterReadyIssuerId + "/", cluster.IssuerUrl);
        Assert.Equal(EmulatorDefaults.Location, cluster.Location);
        Assert.Equal(emulator.SubscriptionId, cluster.SubscriptionId);
    }

    [Fact]
    public async Task MissingClusterBecomesOneArmExceptionWithEverythingSupportNeeds()
    {
        using var connection = emulator.CreateDeployerConnection();
        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, "aks-missing", default));

        Assert.Equal(404, ex.Status);
        Assert.Equal("ResourceNotFound", ex.ErrorCode);
        Assert.Contains("aks-missing", ex.ArmMessage);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.Equal($"/subscriptions/{emulator.SubscriptionId}/resourceGroups/{emulator.ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/aks-missing", ex.ResourceId);
        Assert.IsType<RequestFailedException>(ex.InnerException);
        Assert.Equal(404, ((RequestFailedException)ex.InnerException!).Status);
    }

    [Fact]
    public async Task FaultWithCodeIsMappedFromTheEnvelope()
    {
        emulator.Server.AddFaults([new FaultRule { Path = "managedClusters/aks-ready$", Status = 403, Code = "AuthorizationFailed", Message = "The client has no access." }]);
        using var connection = emulator.CreateDeployerConnection();
        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default));

        Assert.Equal(403, ex.Status);
        Assert.Equal("AuthorizationFailed", ex.ErrorCode);
        Assert.Equal("The client has no access.", ex.ArmMessage);
        Assert.Contains("AuthorizationFailed", ex.Message);
    }

    [Fact]
    public async Task GetIdentityReturnsNullOnlyForAMissingIdentity()
    {
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();

        Assert.Null(await client.GetIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "no-such-identity", default));
        var ex = await Assert.ThrowsAsync<ArmException>(() => client.GetIdentityAsync(emulator.SubscriptionId, "rg-missing", "agent", default));
        Assert.Equal("ResourceGroupNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task IdentityRoundTripCreatesThenUpdatesThenDeletes()
    {
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();
        var tags = new Dictionary<string, string> { ["owner"] = "astronetes" };

        var created = await client.CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "agent-rt", "westeurope", tags, default);
        var updated = await client.CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "agent-rt", "westeurope", tags, default);

        Assert.True(created.Created);
        Assert.False(updated.Created);
        Assert.True(Guid.TryParse(created.Resource.ClientId, out _));
        Assert.True(Guid.TryParse(created.Resource.PrincipalId, out _));
        Assert.Equal("astronetes", created.Resource.Tags["owner"]);
        var put = emulator.Server.Requests.First(r => r.Method == "PUT");
        Assert.Contains("\"location\":\"westeurope\"", put.Body);
        Assert.Contains("api-version=" + ApiVersions.ManagedIdentity, put.Query);

        Assert.True(await client.DeleteIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "agent-rt", default));
        Assert.False(await client.DeleteIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "agent-rt", default));
    }

    [Fact]
    public async Task FederatedCredentialBodyUsesWireCasingAndKeepsTheTrailingSlash()
    {
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();
        var identity = (await client.CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "agent-fic", "westeurope", null, default)).Resource;

        var fic = await client.CreateOrUpdateFederatedCredentialAsync(identity.Id, "fic-1", "https://issuer.example/t/1/", "system:serviceaccount:ns:sa", AgentDefaults.Audience, default);

        Assert.True(fic.Created);
        Assert.Equal("https://issuer.example/t/1/", fic.Resource.Issuer);
        var put = emulator.Server.Requests.Last(r => r.Method == "PUT");
        Assert.Contains("\"properties\":{\"issuer\":\"https://issuer.example/t/1/\",\"subject\":\"system:serviceaccount:ns:sa\",\"audiences\":[\"api://AzureADTokenExchange\"]}", put.Body);
        Assert.NotNull(await client.GetFederatedCredentialAsync(identity.Id, "fic-1", default));
        Assert.Null(await client.GetFederatedCredentialAsync(identity.Id, "fic-2", default));
    }

    [Fact]
    public async Task MissingParentIdentityIsAnErrorNotAnEmptyList()
    {
        using var connection = emulator.CreateDeployerConnection();
        var id = $"/subscriptions/{emulator.SubscriptionId}/resourceGroups/{emulator.ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ghost";
        var ex = await Assert.ThrowsAsync<ArmException>(() => connection.CreateClient().ListFederatedCredentialsAsync(id, default));

        Assert.Equal(404, ex.Status);
        Assert.Equal(id, ex.ResourceId);
    }

    [Fact]
    public async Task UserAgentAndClientRequestIdAreSentOnEveryCall()
    {
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();
        await client.GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);
        await client.GetResourceGroupAsync(emulator.SubscriptionId, emulator.ResourceGroup, default);

        var arm = emulator.ArmRequests();
        Assert.Equal(2, arm.Count);
        Assert.All(arm, r =>
        {
            Assert.StartsWith(ArmConnection.DefaultApplicationId() + " azsdk-net-", r.UserAgent);
            Assert.True(Guid.TryParse(r.ClientRequestId, out _));
        });
        Assert.NotEqual(arm[0].ClientRequestId, arm[1].ClientRequestId);
        Assert.Matches(@"^AstronetesWorkloadIdentity/\d+\.\d+\.\d+", ArmConnection.DefaultApplicationId());
    }

    [Fact]
    public async Task UserAgentApplicationIdCanBeOverridden()
    {
        using var connection = emulator.CreateDeployerConnection(o => o.UserAgentApplicationId = "MyTool/2.0");
        await connection.CreateClient().GetResourceGroupAsync(emulator.SubscriptionId, emulator.ResourceGroup, default);

        Assert.StartsWith("MyTool/2.0 ", emulator.ArmRequests().Single().UserAgent);
    }

    [Fact]
    public async Task ObserverSeesEachCallOfItsOwnClientOnly()
    {
        using var connection = emulator.CreateDeployerConnection();
        var mine = new ArmCallRecorder();
        var other = new ArmCallRecorder();
        await connection.CreateClient(mine).GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);
        await Assert.ThrowsAsync<ArmException>(() => connection.CreateClient(other).GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, "aks-none", default));

        var ok = Assert.Single(mine.Records);
        Assert.Equal("GET", ok.Method);
        Assert.Equal(200, ok.Status);
        Assert.Equal(1, ok.Attempt);
        Assert.Null(ok.ErrorCode);
        Assert.False(string.IsNullOrEmpty(ok.RequestId));
        Assert.Contains("/managedClusters/aks-ready?api-version=" + ApiVersions.ContainerService, ok.Path);
        var failed = Assert.Single(other.Records);
        Assert.Equal(404, failed.Status);
        Assert.Equal("ResourceNotFound", failed.ErrorCode);
        Assert.DoesNotContain("Bearer", failed.Path);
    }

    [Fact]
    public async Task RoleDefinitionsAreFoundByName()
    {
        using var connection = emulator.CreateDeployerConnection();
        var definitions = await connection.CreateClient().ListRoleDefinitionsByNameAsync("/subscriptions/" + emulator.SubscriptionId, "Reader", default);

        var reader = Assert.Single(definitions);
        Assert.Equal(EmulatorDefaults.ReaderRoleId, reader.Name);
        Assert.Contains("roleName eq 'Reader'", Uri.UnescapeDataString(emulator.ArmRequests().Single().Query));
    }

    [Fact]
    public async Task InvalidInputIsRejectedBeforeAnyRequest()
    {
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();

        var ex = await Assert.ThrowsAsync<InputValidationException>(() => client.CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "a", "westeurope", null, default));
        Assert.Contains("3-128 characters", ex.Message);
        await Assert.ThrowsAsync<InputValidationException>(() => client.GetManagedClusterAsync("not-a-guid", emulator.ResourceGroup, "aks", default));
        await Assert.ThrowsAsync<InputValidationException>(() => client.CreateOrUpdateFederatedCredentialAsync(
            $"/subscriptions/{emulator.SubscriptionId}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agent",
            "fic-1", "http://insecure.example/", "system:serviceaccount:ns:sa", AgentDefaults.Audience, default));
        await Assert.ThrowsAsync<InputValidationException>(() => client.ListRoleAssignmentsAsync("/subscriptions/x", null, default));

        Assert.Empty(emulator.Server.Requests);
    }
}
