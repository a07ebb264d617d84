using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>An emulator whose clock stands still until a test moves it (buckets refill only then), at time scale 1.</summary>
public sealed class FrozenClockFixture : EmulatorFixture
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    protected override EmulatorOptions Options => new() { Clock = new EmulatorClock { Time = Time }, EnforceIdentityLimits = true };
}

/// <summary>The same at time scale 10: Azure's waits pass ten times faster.</summary>
public sealed class FastFrozenClockFixture : EmulatorFixture
{
    public const double Scale = 10;
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    protected override EmulatorOptions Options => new()
    {
        Clock = new EmulatorClock { Time = Time, TimeScale = Scale },
        EnforceIdentityLimits = true,
        PrincipalReplicationDelay = TimeSpan.FromSeconds(30),
        FederatedCredentialPropagationDelay = TimeSpan.FromSeconds(20),
        RoleAssignmentPropagationDelay = TimeSpan.FromMinutes(10),
    };
}

/// <summary>ARM's token buckets and the managed-identity limits (numbers in <see cref="Limits"/>), on a clock the test moves.</summary>
public sealed class ThrottlingTests(FrozenClockFixture fixture) : EmulatorTestBase(fixture), IClassFixture<FrozenClockFixture>
{
    private static readonly string ListPath = $"{IdentitiesPath}?api-version={IdentityApi}";

    [Fact]
    public async Task ReadBucket_Empties_Answers429WithRetryAfter_AndRefillsAt25PerSecond()
    {
        ArmResult last = null!;
        for (var i = 0; i < Limits.ArmReads.Capacity; i++) last = await ArmAsync(HttpMethod.Get, ListPath);
        Assert.Equal(HttpStatusCode.OK, last.Status);
        Assert.Equal("0", last.Header("x-ms-ratelimit-remaining-subscription-reads"));

        var throttled = await ArmAsync(HttpMethod.Get, ListPath);
        AssertError(throttled, (HttpStatusCode)429, "SubscriptionRequestsThrottled");
        Assert.Equal("1", throttled.Header("Retry-After"));
        Assert.Contains(EmulatorDefaults.DeployerObjectId, throttled.ErrorMessage);
        // At time scale 1 the answer is Azure's: no millisecond header.
        Assert.Null(throttled.Header("x-ms-retry-after-ms"));

        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < Limits.ArmReads.RefillPerSecond; i++) Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Get, ListPath)).Status);
        Assert.Equal((HttpStatusCode)429, (await ArmAsync(HttpMethod.Get, ListPath)).Status);
    }

    [Fact]
    public async Task Buckets_ArePerPrincipal_TheGlobalOneIsShared()
    {
        for (var i = 0; i < Limits.ArmReads.Capacity; i++) await ArmAsync(HttpMethod.Get, ListPath);
        Assert.Equal((HttpStatusCode)429, (await ArmAsync(HttpMethod.Get, ListPath)).Status);

        var other = await ContributorAsync(HttpMethod.Get, ListPath);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal("249", other.Header("x-ms-ratelimit-remaining-subscription-reads"));
        // 250 admitted deployer reads + this one; the deployer's throttled read took nothing from the global bucket.
        Assert.Equal((Limits.ArmReads.Capacity * Limits.GlobalFactor - 251).ToString(), other.Header("x-ms-ratelimit-remaining-subscription-global-reads"));
    }

    [Fact]
    public async Task WritesAndReads_HaveSeparateBuckets()
    {
        for (var i = 0; i < Limits.ArmReads.Capacity; i++) await ArmAsync(HttpMethod.Get, ListPath);
        var write = await PutIdentityAsync("throttle-write");
        Assert.Equal(HttpStatusCode.Created, write.Status);
        Assert.Equal("199", write.Header("x-ms-ratelimit-remaining-subscription-writes"));
    }

    [Fact]
    public async Task IdentityUpdates_AreLimitedPerResource_To1Every4Seconds()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("limited-id")).Status);
        var again = await PutIdentityAsync("limited-id");
        AssertError(again, (HttpStatusCode)429, "ResourceRequestsThrottled");
        Assert.Equal("4", again.Header("Retry-After"));
        fixture.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await PutIdentityAsync("limited-id")).Status);
    }

    [Fact]
    public async Task IdentityWrites_AreLimitedPerSubscription_To2PerSecond_AndAThrottledCreateLeavesNoIdentity()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("sub-limit-1")).Status);
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("sub-limit-2")).Status);
        var third = await PutIdentityAsync("sub-limit-3");
        AssertError(third, (HttpStatusCode)429, "ResourceRequestsThrottled");
        Assert.DoesNotContain(Server.Snapshot().Identities, i => i.Name == "sub-limit-3");
        fixture.Time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("sub-limit-3")).Status);
    }
}

/// <summary>The same limits and delays at time scale 10: every wait is a tenth as long in real time.</summary>
public sealed class ScaledThrottlingTests(FastFrozenClockFixture fixture) : EmulatorTestBase(fixture), IClassFixture<FastFrozenClockFixture>
{
    private static TimeSpan Real(TimeSpan emulated) => emulated / FastFrozenClockFixture.Scale;

    [Fact]
    public async Task RetryAfter_IsScaled_WithTheExactWaitInMilliseconds()
    {
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("scaled-id")).Status);
        var again = await PutIdentityAsync("scaled-id");
        Assert.Equal((HttpStatusCode)429, again.Status);
        // 4 emulated seconds = 400 ms real: Retry-After rounds up to whole seconds, the millisecond header is exact.
        Assert.Equal("1", again.Header("Retry-After"));
        Assert.Equal("400", again.Header("x-ms-retry-after-ms"));
        fixture.Time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(HttpStatusCode.OK, (await PutIdentityAsync("scaled-id")).Status);
    }

    [Fact]
    public async Task NewPrincipal_IsUnknownToRoleAssignments_ForTheScaledReplicationDelay_UnlessPrincipalTypeIsGiven()
    {
        var identity = await PutIdentityAsync("replicating-id");
        var principal = identity.Json!["properties"]!["principalId"]!.GetValue<string>();
        var path = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={AuthApi}";
        var early = await ArmAsync(HttpMethod.Put, path, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal, principalType: null));
        AssertError(early, HttpStatusCode.BadRequest, "PrincipalNotFound");
        Assert.Contains("does not exist in the directory", early.ErrorMessage);

        fixture.Time.Advance(Real(TimeSpan.FromSeconds(30)));
        Assert.Equal(HttpStatusCode.Created, (await ArmAsync(HttpMethod.Put, path, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal, principalType: null))).Status);
    }

    [Fact]
    public async Task AFaultRule_ForcesPrincipalNotFound_EvenWithPrincipalType_InTheRealMessageForm()
    {
        var identity = await PutIdentityAsync("forced-id");
        var principal = identity.Json!["properties"]!["principalId"]!.GetValue<string>();
        Server.AddFaults([new FaultRule { Method = "PUT", Path = "/roleAssignments/", Status = 400, Code = "PrincipalNotFound", Times = 1 }]);
        var path = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={AuthApi}";
        var forced = await ArmAsync(HttpMethod.Put, path, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal));
        AssertError(forced, HttpStatusCode.BadRequest, "PrincipalNotFound");
        Assert.Contains("does not exist in the directory " + EmulatorDefaults.TenantId, forced.ErrorMessage);
        Assert.Equal(HttpStatusCode.Created, (await ArmAsync(HttpMethod.Put, path, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal))).Status);
    }

    [Fact]
    public async Task NewCredentialAndRoleAssignment_SayInStateWhenTheyTakeEffect()
    {
        var now = fixture.Time.GetUtcNow();
        await PutIdentityAsync("effective-id");
        Assert.Equal(HttpStatusCode.Created, (await PutFicAsync("effective-id", "fic", "https://issuer.example/", "system:serviceaccount:ns:sa")).Status);
        var principal = Server.Snapshot().Identities.Single(i => i.Name == "effective-id").PrincipalId;
        var path = $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={AuthApi}";
        Assert.Equal(HttpStatusCode.Created, (await ArmAsync(HttpMethod.Put, path, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal))).Status);

        var state = Server.Snapshot();
        Assert.Equal(now + Real(TimeSpan.FromSeconds(20)), state.Identities.Single(i => i.Name == "effective-id").FederatedIdentityCredentials.Single().EffectiveAt);
        Assert.Equal(now + Real(TimeSpan.FromMinutes(10)), state.RoleAssignments.Single(r => r.PrincipalId == principal).EffectiveAt);
    }

    [Fact]
    public async Task ANewRoleAssignment_GrantsNothingUntilItTakesEffect()
    {
        // The contributor may not write role assignments; the deployer grants it Owner on the group through ARM.
        var path = $"{RgPath}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={AuthApi}";
        var target = $"{RgPath}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={AuthApi}";
        var before = await ContributorAsync(HttpMethod.Put, target, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, EmulatorDefaults.ContributorObjectId));
        AssertError(before, HttpStatusCode.Forbidden, "AuthorizationFailed");
        Assert.Equal(HttpStatusCode.Created, (await ArmAsync(HttpMethod.Put, path, RoleAssignmentBody(EmulatorDefaults.OwnerRoleId, EmulatorDefaults.ContributorObjectId))).Status);

        Assert.Equal(HttpStatusCode.Forbidden, (await ContributorAsync(HttpMethod.Put, target, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, EmulatorDefaults.ContributorObjectId))).Status);
        fixture.Time.Advance(Real(TimeSpan.FromMinutes(10)));
        Assert.Equal(HttpStatusCode.Created, (await ContributorAsync(HttpMethod.Put, target, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, EmulatorDefaults.ContributorObjectId))).Status);
    }
}
