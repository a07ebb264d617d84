using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class ApiVersionTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task MissingApiVersion_Is400MissingApiVersionParameter()
    {
        var result = await ArmAsync(HttpMethod.Get, $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready");
        AssertError(result, HttpStatusCode.BadRequest, "MissingApiVersionParameter");
        Assert.Equal("The api-version query parameter (?api-version=) is required for all requests.", result.ErrorMessage);
    }

    [Fact]
    public async Task UnknownApiVersion_Is400NoRegisteredProviderFound_ListingSupported()
    {
        var result = await ArmAsync(HttpMethod.Get, $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version=2099-01-01");
        AssertError(result, HttpStatusCode.BadRequest, "NoRegisteredProviderFound");
        Assert.Contains("API version '2099-01-01' for type 'managedClusters'", result.ErrorMessage);
        Assert.Contains("2025-10-01", result.ErrorMessage);
        Assert.Contains("The supported locations are '", result.ErrorMessage);
    }

    [Fact]
    public async Task FicsAreNotIn20181130_ButIdentitiesAre()
    {
        Assert.Equal(HttpStatusCode.Created, (await ArmAsync(HttpMethod.Put, $"{IdentitiesPath}/id-old?api-version=2018-11-30", new { location = "westeurope" })).Status);
        var fic = await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}/id-old/federatedIdentityCredentials?api-version=2018-11-30");
        AssertError(fic, HttpStatusCode.BadRequest, "NoRegisteredProviderFound");
    }

    [Theory]
    [InlineData("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/aks-ready", "2022-11-01")]
    [InlineData("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/aks-ready", "2026-01-01")]
    [InlineData("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities", "2022-01-31-preview")]
    [InlineData("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities", "2023-01-31")]
    [InlineData("/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments", "2020-04-01-preview")]
    [InlineData("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions", "2018-01-01-preview")]
    [InlineData("/subscriptions/{sub}", "2019-11-01")]
    [InlineData("/subscriptions", "2022-12-01")]
    [InlineData("/subscriptions/{sub}/resourcegroups/{rg}", "2021-04-01")]
    public async Task FieldVersions_AreAccepted(string path, string version)
    {
        var result = await ArmAsync(HttpMethod.Get, path.Replace("{sub}", Sub).Replace("{rg}", Rg) + "?api-version=" + version);
        Assert.Equal(HttpStatusCode.OK, result.Status);
    }

    [Fact]
    public async Task ResourceGroupWithUnknownVersion_IsInvalidApiVersionParameter()
    {
        var result = await ArmAsync(HttpMethod.Get, $"{RgPath}?api-version=1999-01-01");
        AssertError(result, HttpStatusCode.BadRequest, "InvalidApiVersionParameter");
        Assert.Contains("2021-04-01", result.ErrorMessage);
    }
}
