using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class FederatedCredentialTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private const string Issuer = "https://westeurope.oic.prod-aks.azure.com/tenant/uuid/";
    private string FicPath(string identity, string name = "") =>
        $"{IdentitiesPath}/{identity}/federatedIdentityCredentials{(name.Length > 0 ? "/" + name : "")}?api-version={IdentityApi}";

    [Fact]
    public async Task Put_Creates201_Get_Update200_Delete()
    {
        await PutIdentityAsync("agent");
        var created = await PutFicAsync("agent", "fic-agent", Issuer, "system:serviceaccount:ns:sa");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal($"/subscriptions/{Sub}/resourcegroups/{Rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agent/federatedIdentityCredentials/fic-agent",
            created.Json!["id"]!.GetValue<string>());
        Assert.Equal("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials", created.Json["type"]!.GetValue<string>());
        Assert.Equal(Issuer, created.Json["properties"]!["issuer"]!.GetValue<string>());

        var get = await ArmAsync(HttpMethod.Get, FicPath("agent", "FIC-AGENT"));
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal("fic-agent", get.Json!["name"]!.GetValue<string>());

        // Same name, another subject: an update (real behaviour).
        var updated = await PutFicAsync("agent", "fic-agent", Issuer, "system:serviceaccount:ns:other");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("system:serviceaccount:ns:other", updated.Json!["properties"]!["subject"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Delete, FicPath("agent", "fic-agent"))).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await ArmAsync(HttpMethod.Delete, FicPath("agent", "fic-agent"))).Status);
        AssertError(await ArmAsync(HttpMethod.Get, FicPath("agent", "fic-agent")), HttpStatusCode.NotFound, "ResourceNotFound");
    }

    [Fact]
    public async Task MissingParentIdentity_Is404()
    {
        var result = await PutFicAsync("ghost", "fic-one", Issuer, "s");
        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        Assert.Equal("The parent user-assigned identity doesn't exist.", result.ErrorMessage);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-abc")]
    [InlineData("abc.def")]
    public async Task InvalidName_Is400(string name)
    {
        await PutIdentityAsync("agent");
        var result = await PutFicAsync("agent", name, Issuer, "s");
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal($"Federated Identity Credential name '{name}' is invalid.", result.ErrorMessage);
    }

    [Fact]
    public async Task IssuerSubjectCombination_IsUniquePerIdentity()
    {
        await PutIdentityAsync("agent");
        await PutIdentityAsync("agent-two");
        Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("agent", "fic-one", Issuer, "s")).Status);
        var dup = await PutFicAsync("agent", "fic-two", Issuer, "s");
        Assert.Equal(HttpStatusCode.BadRequest, dup.Status);
        Assert.Equal("Issuer and subject combination already exists for this Managed Identity.", dup.ErrorMessage);
        // Case-sensitive and per identity.
        Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("agent", "fic-three", Issuer, "S")).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("agent-two", "fic-two", Issuer, "s")).Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task ExactlyOneAudience(int count)
    {
        await PutIdentityAsync("agent");
        var result = await PutFicAsync("agent", "fic-one", Issuer, "s", Enumerable.Range(0, count).Select(i => "api://a" + i).ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("Federated identity credentials must have exactly one audience.", result.ErrorMessage);
    }

    [Theory]
    [InlineData("http://issuer.example/")]
    [InlineData("issuer.example")]
    public async Task IssuerMustBeHttpsAbsolute(string issuer)
    {
        await PutIdentityAsync("agent");
        Assert.Equal(HttpStatusCode.BadRequest, (await PutFicAsync("agent", "fic-one", issuer, "s")).Status);
    }

    [Fact]
    public async Task FieldsAtMost600Chars_AndAllRequired()
    {
        await PutIdentityAsync("agent");
        Assert.Equal(HttpStatusCode.BadRequest, (await PutFicAsync("agent", "fic-one", Issuer, new string('s', 601))).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("agent", "fic-one", Issuer, new string('s', 600))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutFicAsync("agent", "fic-two", Issuer, "s2", [new string('a', 601)])).Status);
        var empty = await ArmAsync(HttpMethod.Put, FicPath("agent", "fic-three"), new { properties = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal("Federated Identity Credential from HTTP body has empty properties", empty.ErrorMessage);
    }

    [Fact]
    public async Task AtMost20PerIdentity_AndListPagesWithTopAndSkipToken()
    {
        await PutIdentityAsync("agent");
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("agent", $"fic-{i:D2}", Issuer, $"s{i}")).Status);
        var over = await PutFicAsync("agent", "fic-20", Issuer, "s20");
        Assert.Equal(HttpStatusCode.BadRequest, over.Status);
        Assert.Contains("20", over.ErrorMessage);
        // Updating an existing one at the limit is fine.
        Assert.Equal(HttpStatusCode.OK, (await PutFicAsync("agent", "fic-00", Issuer, "s-new")).Status);

        var first = await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}/agent/federatedIdentityCredentials?api-version={IdentityApi}&$top=7");
        Assert.Equal(7, first.Json!["value"]!.AsArray().Count);
        var names = first.Json["value"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ToList();
        var next = first.Json["nextLink"]!.GetValue<string>();
        while (next is not null)
        {
            Assert.Contains("$skiptoken=", next);
            var page = await ArmAsync(HttpMethod.Get, next);
            names.AddRange(page.Json!["value"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
            next = page.Json["nextLink"]?.GetValue<string>()!;
        }
        Assert.Equal(20, names.Distinct().Count());

        var defaultPage = await ArmAsync(HttpMethod.Get, FicPath("agent"));
        Assert.Equal(10, defaultPage.Json!["value"]!.AsArray().Count);
        Assert.NotNull(defaultPage.Json["nextLink"]);
    }
}
