using System.Net;
using AstronetesWorkloadIdentity.Engine;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>The emulator accepts every version of the one published table (the engine's), and nothing else.</summary>
public sealed class PublishedApiVersionTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private static readonly Dictionary<string, string> ReadPath = new()
    {
        [PublishedApiVersions.ManagedClusters] = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/aks-ready",
        [PublishedApiVersions.Identities] = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
        [PublishedApiVersions.FederatedCredentials] = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/fic-parent/federatedIdentityCredentials",
        [PublishedApiVersions.RoleAssignments] = "/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments",
        [PublishedApiVersions.RoleDefinitions] = "/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions",
        [PublishedApiVersions.Subscriptions] = "/subscriptions/{sub}",
        [PublishedApiVersions.ResourceGroups] = "/subscriptions/{sub}/resourcegroups/{rg}",
        [PublishedApiVersions.Providers] = "/subscriptions/{sub}/providers/Microsoft.ManagedIdentity",
    };

    [Fact]
    public async Task EveryPublishedVersionOfEveryType_IsAccepted()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("fic-parent")).Status);
        var refused = new List<string>();
        foreach (var type in PublishedApiVersions.Types.Where(t => t != PublishedApiVersions.ClusterOperations))
        {
            var path = ReadPath[type].Replace("{sub}", Sub).Replace("{rg}", Rg);
            foreach (var version in PublishedApiVersions.For(type))
            {
                var result = await ArmAsync(HttpMethod.Get, $"{path}?api-version={version}");
                if (result.Status != HttpStatusCode.OK) refused.Add($"{type} {version}: {(int)result.Status} {result.ErrorCode}");
            }
        }
        Assert.Empty(refused);
    }

    [Theory]
    [InlineData("2026-04-01")]
    [InlineData("2026-06-01")]
    [InlineData("2026-06-02-preview")]
    public async Task TheNewestAksVersions_AreAccepted(string version)
    {
        var result = await ArmAsync(HttpMethod.Get, $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version={version}");
        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    [Fact]
    public async Task AnUnpublishedVersion_IsRefused_NamingThePublishedOnes()
    {
        var result = await ArmAsync(HttpMethod.Get, $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version=2026-07-01");
        AssertError(result, HttpStatusCode.BadRequest, "NoRegisteredProviderFound");
        Assert.Contains("2026-06-01", result.ErrorMessage);
        Assert.Contains("2017-08-31", result.ErrorMessage);
    }

    [Fact]
    public void TheEmulatorsTable_IsTheEnginesTable()
    {
        foreach (var type in PublishedApiVersions.Types)
            Assert.Equal(PublishedApiVersions.For(type), ApiVersions.For(type));
    }
}
