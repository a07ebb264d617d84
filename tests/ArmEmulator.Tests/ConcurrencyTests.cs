using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class ConcurrencyTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task ParallelWrites_AreAllApplied()
    {
        await TokenAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => PutIdentityAsync($"parallel-{i:D2}")));
        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.Equal(24, Server.Snapshot().Identities.Count);
        Assert.Equal(24, Server.Requests.Count(r => r.Method == "PUT" && r.Status == 201));

        // FIC writes run in parallel under different identities (under one identity they are serialised: FederatedCredentialConcurrencyTests).
        var fics = await Task.WhenAll(Enumerable.Range(0, 15).Select(i => PutFicAsync($"parallel-{i:D2}", "fic-one", "https://issuer.example/", $"subject-{i}")));
        Assert.All(fics, r => Assert.Equal(HttpStatusCode.Created, r.Status));
    }

    [Fact]
    public async Task NextLink_KeepsFilterAndApiVersion()
    {
        for (var i = 0; i < 12; i++) Server.GrantRole(EmulatorDefaults.ContributorObjectId, "Reader", $"{RgPath}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/x{i}");
        var first = await ArmAsync(HttpMethod.Get, $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments?api-version={AuthApi}&$filter="
            + Uri.EscapeDataString($"principalId eq '{EmulatorDefaults.ContributorObjectId}'"));
        Assert.Equal(10, first.Json!["value"]!.AsArray().Count);
        var next = first.Json["nextLink"]!.GetValue<string>();
        Assert.Contains("api-version=2022-04-01", next);
        Assert.Contains("$filter=", next);
        var second = await ArmAsync(HttpMethod.Get, next);
        Assert.Equal(3, second.Json!["value"]!.AsArray().Count);
    }
}
