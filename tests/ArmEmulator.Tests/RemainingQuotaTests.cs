using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>
/// Remaining-quota headers as recorded from ARM (2025): every ARM answer, the bucket by method, and the -global- forms.
/// On a clock that stands still, so the buckets do not refill between two requests.
/// </summary>
public sealed class RemainingQuotaTests(FrozenClockFixture fixture) : EmulatorTestBase(fixture), IClassFixture<FrozenClockFixture>
{
    private const string Prefix = "x-ms-ratelimit-remaining-subscription-";
    private static int Number(ArmResult r, string name) => int.Parse(r.Header(Prefix + name) ?? throw new Xunit.Sdk.XunitException($"{Prefix}{name} missing"));

    [Fact]
    public async Task Reads_Writes_Deletes_EachCountDownTheirOwnBucket_InBothForms()
    {
        var path = $"{IdentitiesPath}/quota-id?api-version={IdentityApi}";
        var read1 = await ArmAsync(HttpMethod.Get, path);
        var read2 = await ArmAsync(HttpMethod.Get, path);
        Assert.Equal(Number(read1, "reads") - 1, Number(read2, "reads"));
        Assert.Equal(Number(read1, "global-reads") - 1, Number(read2, "global-reads"));
        Assert.Null(read2.Header(Prefix + "writes"));

        var write = await PutIdentityAsync("quota-id");
        Assert.Equal(HttpStatusCode.Created, write.Status);
        // A fresh subscription's first write, as recorded in 2025: 199 of 200, 2999 of 3000.
        Assert.Equal(199, Number(write, "writes"));
        Assert.Equal(2999, Number(write, "global-writes"));
        Assert.Null(write.Header(Prefix + "reads"));

        var delete = await ArmAsync(HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.OK, delete.Status);
        Assert.Equal(199, Number(delete, "deletes"));
        Assert.Equal(2999, Number(delete, "global-deletes"));
    }

    [Fact]
    public async Task ErrorAnswersCarryThemToo_ButTheTokenEndpointDoesNot()
    {
        var denied = await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}/x?api-version={IdentityApi}", noToken: true);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.Status);
        Assert.NotNull(denied.Header(Prefix + "reads"));
        var token = await RequestTokenAsync(EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.DoesNotContain(token.Headers, h => h.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ResetStartsTheCountersAgain()
    {
        await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}?api-version={IdentityApi}");
        Server.Reset();
        var first = await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}?api-version={IdentityApi}");
        Assert.Equal(249, Number(first, "reads"));
        Assert.Equal(3749, Number(first, "global-reads"));
    }
}
