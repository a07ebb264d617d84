using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class IdentityTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Put_Creates201_ThenUpdates200_KeepingIds()
    {
        var created = await PutIdentityAsync("agent-one");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var j = created.Json!;
        Assert.Equal($"/subscriptions/{Sub}/resourcegroups/{Rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agent-one", j["id"]!.GetValue<string>());
        Assert.Equal("Microsoft.ManagedIdentity/userAssignedIdentities", j["type"]!.GetValue<string>());
        Assert.Equal("westeurope", j["location"]!.GetValue<string>());
        Assert.True(Guid.TryParse(j["properties"]!["clientId"]!.GetValue<string>(), out _));
        Assert.True(Guid.TryParse(j["properties"]!["principalId"]!.GetValue<string>(), out _));
        Assert.Equal(Server.TenantId, j["properties"]!["tenantId"]!.GetValue<string>());
        Assert.Equal("None", j["properties"]!["isolationScope"]!.GetValue<string>());

        var updated = await ArmAsync(HttpMethod.Put, $"{IdentitiesPath}/agent-one?api-version={IdentityApi}", new { location = "westeurope", tags = new { team = "a" } });
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(j["properties"]!["clientId"]!.GetValue<string>(), updated.Json!["properties"]!["clientId"]!.GetValue<string>());
        Assert.Equal(j["properties"]!["principalId"]!.GetValue<string>(), updated.Json!["properties"]!["principalId"]!.GetValue<string>());
        Assert.Equal("a", updated.Json!["tags"]!["team"]!.GetValue<string>());

        var snapshot = Server.Snapshot();
        Assert.Contains(snapshot.Principals, p => p.ObjectId == j["properties"]!["principalId"]!.GetValue<string>());
        var logged = Server.Requests.Last();
        Assert.Contains("\"team\"", logged.Body);
    }

    [Fact]
    public async Task Put_WithoutLocation_Is400LocationRequired()
    {
        var result = await ArmAsync(HttpMethod.Put, $"{IdentitiesPath}/agent-x?api-version={IdentityApi}", new { tags = new { } });
        AssertError(result, HttpStatusCode.BadRequest, "LocationRequired");
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-agent")]
    [InlineData("agent.one")]
    public async Task Put_InvalidName_Is400(string name)
    {
        var result = await PutIdentityAsync(name);
        AssertError(result, HttpStatusCode.BadRequest, "InvalidResourceName");
    }

    [Fact]
    public async Task Put_InMissingResourceGroup_Is404()
    {
        var result = await ArmAsync(HttpMethod.Put, $"/subscriptions/{Sub}/resourceGroups/rg-gone/providers/Microsoft.ManagedIdentity/userAssignedIdentities/abc?api-version={IdentityApi}", new { location = "westeurope" });
        AssertError(result, HttpStatusCode.NotFound, "ResourceGroupNotFound");
    }

    [Fact]
    public async Task Get_Missing_Is404ResourceNotFound()
    {
        var result = await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}/nobody?api-version={IdentityApi}");
        AssertError(result, HttpStatusCode.NotFound, "ResourceNotFound");
        Assert.StartsWith("The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/nobody' under resource group 'rg-astronetes' was not found.", result.ErrorMessage);
    }

    [Fact]
    public async Task Delete_200ThenAbsent204_AndDeletesFics()
    {
        await PutIdentityAsync("agent-del");
        Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("agent-del", "fic-one", "https://issuer.example/", "system:serviceaccount:a:b")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Delete, $"{IdentitiesPath}/agent-del?api-version={IdentityApi}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await ArmAsync(HttpMethod.Delete, $"{IdentitiesPath}/agent-del?api-version={IdentityApi}")).Status);
        await PutIdentityAsync("agent-del");
        var fics = await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}/agent-del/federatedIdentityCredentials?api-version={IdentityApi}");
        Assert.Empty(fics.Json!["value"]!.AsArray());
    }

    [Fact]
    public async Task List_PagesWithNextLink_AtResourceGroupAndSubscription()
    {
        for (var i = 0; i < 12; i++) Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync($"agent-{i:D2}")).Status);
        foreach (var path in new[] { IdentitiesPath, $"/subscriptions/{Sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities" })
        {
            var names = new List<string>();
            string? next = $"{path}?api-version={IdentityApi}";
            var pages = 0;
            while (next is not null)
            {
                var page = await ArmAsync(HttpMethod.Get, next);
                Assert.Equal(HttpStatusCode.OK, page.Status);
                names.AddRange(page.Json!["value"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
                next = page.Json["nextLink"]?.GetValue<string>();
                if (next is not null) Assert.StartsWith(Server.BaseUri.ToString(), next);
                pages++;
            }
            Assert.Equal(2, pages);
            Assert.Equal(12, names.Distinct().Count());
        }
    }
}
