using System.Diagnostics;
using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>
/// Real ARM processes FIC writes one at a time per identity: a concurrent one gets 409
/// ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity (docs/design/arm-contract.md). The fixture's one-second
/// write latency makes requests started together overlap for sure.
/// </summary>
public sealed class FederatedCredentialConcurrencyTests(SlowFicWriteFixture fixture) : EmulatorTestBase(fixture), IClassFixture<SlowFicWriteFixture>
{
    private const string Issuer = "https://westeurope.oic.prod-aks.azure.com/tenant/uuid/";
    private const string Code = "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity";

    private static string ExpectedMessage(string identity) =>
        "Too many Federated Identity Credentials are written concurrently for the managed identity " +
        $"'/subscriptions/{Sub}/resourcegroups/{Rg}/providers/microsoft.managedidentity/userassignedidentities/{identity}'.".ToLowerInvariant() +
        " Concurrent Federated Identity Credentials writes under the same managed identity are not supported.";

    private string FicPath(string identity, string name) =>
        $"{IdentitiesPath}/{identity}/federatedIdentityCredentials/{name}?api-version={IdentityApi}";

    [Fact]
    public async Task TwoConcurrentPuts_UnderOneIdentity_One201_One409()
    {
        await PutIdentityAsync("Agent-Mixed");
        var results = await Task.WhenAll(
            PutFicAsync("Agent-Mixed", "fic-one", Issuer, "system:serviceaccount:ns:one"),
            PutFicAsync("Agent-Mixed", "fic-two", Issuer, "system:serviceaccount:ns:two"));

        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        var refused = Assert.Single(results, r => r.Status == HttpStatusCode.Conflict);
        Assert.Equal(Code, refused.ErrorCode);
        Assert.Equal(ExpectedMessage("Agent-Mixed"), refused.ErrorMessage);
        Assert.Single(Server.Snapshot().Identities.Single().FederatedIdentityCredentials);
        Assert.Single(Server.Requests, r => r.Status == 409 && r.ErrorCode == Code);
    }

    [Fact]
    public async Task DeleteDuringPut_UnderOneIdentity_Is409()
    {
        await PutIdentityAsync("agent");
        Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("agent", "fic-old", Issuer, "system:serviceaccount:ns:old")).Status);
        var put = PutFicAsync("agent", "fic-new", Issuer, "system:serviceaccount:ns:new");
        await WaitUntilInFlightAsync("fic-new");
        var delete = await ArmAsync(HttpMethod.Delete, FicPath("agent", "fic-old"));

        AssertError(delete, HttpStatusCode.Conflict, Code);
        Assert.Equal(HttpStatusCode.Created, (await put).Status);
        Assert.Equal(2, Server.Snapshot().Identities.Single().FederatedIdentityCredentials.Count);
    }

    [Fact]
    public async Task ConcurrentPuts_UnderTwoIdentities_BothSucceed_InParallel()
    {
        await PutIdentityAsync("agent-a");
        await PutIdentityAsync("agent-b");
        // Overlap is shown by state, not by a stopwatch: B arrives while A is still in flight, and neither is refused.
        var a = PutFicAsync("agent-a", "fic-one", Issuer, "system:serviceaccount:ns:sa");
        await WaitUntilInFlightAsync("agent-a/federatedIdentityCredentials/fic-one");
        var b = PutFicAsync("agent-b", "fic-one", Issuer, "system:serviceaccount:ns:sa");
        await WaitUntilInFlightAsync("agent-b/federatedIdentityCredentials/fic-one");
        Assert.False(a.IsCompleted, "the first write should still be in flight when the second arrives");

        Assert.Equal(HttpStatusCode.Created, (await a).Status);
        Assert.Equal(HttpStatusCode.Created, (await b).Status);
        Assert.DoesNotContain(Server.Requests, r => r.Status == 409);
    }

    [Fact]
    public async Task SequentialPut_AfterTheFirstCompletes_Succeeds()
    {
        await PutIdentityAsync("agent");
        Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("agent", "fic-one", Issuer, "system:serviceaccount:ns:one")).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("agent", "fic-two", Issuer, "system:serviceaccount:ns:two")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Delete, FicPath("agent", "fic-one"))).Status);
        Assert.DoesNotContain(Server.Requests, r => r.Status == 409);
    }

    [Fact]
    public async Task WriteInFlight_DoesNotBlockOtherRequests()
    {
        // The processing time is spent outside the state lock: reads and other writes are not held up by it.
        await PutIdentityAsync("agent");
        var put = PutFicAsync("agent", "fic-one", Issuer, "system:serviceaccount:ns:one");
        await WaitUntilInFlightAsync("fic-one");
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}/agent?api-version={IdentityApi}")).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("agent-two")).Status);
        Assert.False(put.IsCompleted, "the read and the other write should be answered while the FIC write is still in flight");
        Assert.Equal(HttpStatusCode.Created, (await put).Status);
    }

    [Fact]
    public async Task RefusedByTheFrontDoor_IsAnsweredFirst_AndTakesNoSlot()
    {
        // RBAC is checked before the resource provider sees the write: a caller without FIC write gets 403, not 409,
        // at once, and does not hold the identity's slot.
        var identity = await PutIdentityAsync("agent");
        var unprivileged = await UnprivilegedTokenAsync("agent", identity.Json!["properties"]!["clientId"]!.GetValue<string>());
        var put = PutFicAsync("agent", "fic-one", Issuer, "system:serviceaccount:ns:one");
        await WaitUntilInFlightAsync("fic-one");
        var forbidden = await ArmAsync(HttpMethod.Put, FicPath("agent", "fic-two"), FicBody("system:serviceaccount:ns:two"), token: unprivileged);
        AssertError(forbidden, HttpStatusCode.Forbidden, "AuthorizationFailed");
        Assert.False(put.IsCompleted, "the 403 should come while the permitted write still holds the identity's slot");
        Assert.Equal(HttpStatusCode.Created, (await put).Status);

        var refused = ArmAsync(HttpMethod.Put, FicPath("agent", "fic-two"), FicBody("system:serviceaccount:ns:two"), token: unprivileged);
        var allowed = PutFicAsync("agent", "fic-three", Issuer, "system:serviceaccount:ns:three");
        AssertError(await refused, HttpStatusCode.Forbidden, "AuthorizationFailed");
        Assert.Equal(HttpStatusCode.Created, (await allowed).Status);
    }

    private static object FicBody(string subject) =>
        new { properties = new { issuer = Issuer, subject, audiences = new[] { "api://AzureADTokenExchange" } } };

    /// <summary>A token for a managed identity's client id (client assertion): a valid caller with no role at all.</summary>
    private async Task<string> UnprivilegedTokenAsync(string identityName, string clientId)
    {
        var response = await RequestTokenAsync(clientId, null, extra: new()
        {
            ["client_assertion"] = await AgentAssertion.ForIdentityAsync(Server, Http, identityName),
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        });
        response.EnsureSuccessStatusCode();
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    /// <summary>Until the FIC write is logged (it arrived) plus a margin for the stages before its slot.</summary>
    /// <param name="ficName">The credential's name, or a longer tail of its path ("agent-a/federatedIdentityCredentials/fic-one").</param>
    private async Task WaitUntilInFlightAsync(string ficName)
    {
        var deadline = Stopwatch.StartNew();
        while (!Server.Requests.Any(r => r.Method == "PUT" && r.Path.EndsWith("/" + ficName, StringComparison.Ordinal)))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the FIC write never arrived");
            await Task.Delay(5);
        }
        await Task.Delay(100);
    }
}
