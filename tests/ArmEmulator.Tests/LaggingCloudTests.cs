using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>A cloud that lags behind: the state's apiVersions narrows what some types accept (docs/design/arm-contract.md "API versions a server accepts").</summary>
public sealed class LaggingCloudFixture : EmulatorFixture
{
    public const string OldFicVersion = "2022-01-31-preview";
    public const string OldClusterVersion = "2024-02-01";

    protected override EmulatorOptions Options
    {
        get
        {
            var state = DefaultState.Create();
            state.ApiVersions = new()
            {
                ["microsoft.managedidentity/userAssignedIdentities/federatedIdentityCredentials"] = [OldFicVersion],
                [ApiVersions.ManagedClusters] = [OldClusterVersion],
            };
            return new EmulatorOptions { State = state };
        }
    }
}

public sealed class LaggingCloudTests(LaggingCloudFixture fixture) : EmulatorTestBase(fixture), IClassFixture<LaggingCloudFixture>
{
    private static readonly string ClusterPath = $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready";

    [Fact]
    public async Task OverriddenType_RejectsTheTablesVersions_ListingOnlyItsOwn()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("id-lag")).Status);

        var fic = await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}/id-lag/federatedIdentityCredentials?api-version={IdentityApi}");
        var cluster = await ArmAsync(HttpMethod.Get, $"{ClusterPath}?api-version=2025-10-01");

        AssertError(fic, HttpStatusCode.BadRequest, "NoRegisteredProviderFound");
        Assert.Contains($"The supported api-versions are '{LaggingCloudFixture.OldFicVersion}'.", fic.ErrorMessage);
        AssertError(cluster, HttpStatusCode.BadRequest, "NoRegisteredProviderFound");
        Assert.Contains($"The supported api-versions are '{LaggingCloudFixture.OldClusterVersion}'.", cluster.ErrorMessage);
    }

    [Fact]
    public async Task OverriddenType_AcceptsItsListedVersion()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("id-lag-ok")).Status);

        var fic = await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}/id-lag-ok/federatedIdentityCredentials?api-version={LaggingCloudFixture.OldFicVersion}");
        var cluster = await ArmAsync(HttpMethod.Get, $"{ClusterPath}?api-version={LaggingCloudFixture.OldClusterVersion}");

        Assert.Equal(HttpStatusCode.OK, fic.Status);
        Assert.Equal(HttpStatusCode.OK, cluster.Status);
    }

    [Fact]
    public async Task TypesNotOverridden_KeepTheTable()
    {
        // Identities are not in the override: the preferred version and an old field version both still work.
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}?api-version={IdentityApi}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}?api-version=2018-11-30")).Status);
    }

    [Fact]
    public async Task ProviderListing_ShowsTheLaggingVersions()
    {
        var provider = await ArmAsync(HttpMethod.Get, $"/subscriptions/{Sub}/providers/Microsoft.ContainerService?api-version=2021-04-01");

        var clusters = provider.Json!["resourceTypes"]!.AsArray().Single(t => t!["resourceType"]!.GetValue<string>() == "managedClusters")!;
        Assert.Equal([LaggingCloudFixture.OldClusterVersion], clusters["apiVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void Snapshot_CarriesTheOverride()
    {
        var snapshot = EmulatorState.FromJson(Server.Snapshot().ToJson());

        Assert.Equal([LaggingCloudFixture.OldClusterVersion], snapshot.ApiVersions![ApiVersions.ManagedClusters]);
    }
}

public sealed class ApiVersionOverrideTests
{
    [Fact]
    public void DefaultState_HasNoOverride_SoTheTableApplies()
    {
        var state = DefaultState.Create();

        Assert.Null(state.ApiVersions);
        Assert.DoesNotContain("apiVersions", state.ToJson());
        Assert.Equal(ApiVersions.For(ApiVersions.ManagedClusters), ApiVersions.For(ApiVersions.ManagedClusters, state));
    }

    [Fact]
    public async Task OverrideOfAnUnknownType_FailsAtStart()
    {
        var state = DefaultState.Create();
        state.ApiVersions = new() { ["Microsoft.ContainerService/managedCluster"] = ["2024-02-01"] };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => EmulatorServer.StartAsync(new EmulatorOptions { State = state }));
        Assert.Contains("managedCluster'", error.Message);
    }
}
