using Azure.Core;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Tests.Reliability;

/// <summary>The pacer's decisions on a clock the test moves: when a lane starts, how its spacing learns, when it ends.</summary>
public sealed class ThrottlePacerTests
{
    private const string Identity = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-1";
    private const string OtherIdentity = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-2";
    private const string Assignment = "/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/a";
    private const string ProviderThrottled = "ResourceRequestsThrottled";

    private DateTimeOffset now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly ThrottlePacer pacer;

    public ThrottlePacerTests() => pacer = new ThrottlePacer(() => now);

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private void Throttle(string path, TimeSpan asked, DateTimeOffset? sent = null, string code = ProviderThrottled) =>
        pacer.Observe(RequestMethod.Put, path, sent ?? now, 429, asked, code, null);

    private void Succeed(string path, int? remaining = null, RequestMethod? method = null) =>
        pacer.Observe(method ?? RequestMethod.Put, path, now, 200, null, null, remaining);

    [Fact]
    public void Nothing_is_paced_before_Azure_says_anything()
    {
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Put, Identity));
        Succeed(Identity, remaining: 199);
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Put, Identity));
    }

    [Fact]
    public void A_providers_429_paces_that_resource_type_at_the_wait_it_asked_for_and_nothing_else()
    {
        Throttle(Identity, Ms(500));

        Assert.Equal(Ms(500), pacer.TakeTurn(RequestMethod.Put, OtherIdentity));   // the pause asked for
        Assert.Equal(Ms(1000), pacer.TakeTurn(RequestMethod.Put, Identity));       // then one spacing apart
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Put, Assignment)); // other types run free
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Get, Identity));   // and so do reads of this one
    }

    [Fact]
    public void Lanes_are_per_subscription_as_Azures_buckets_and_limits_are()
    {
        Throttle(Identity, Ms(500));
        Throttle(Assignment, Ms(200), code: "SubscriptionRequestsThrottled");

        const string OtherSubscription = "/subscriptions/t/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-1";
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Put, OtherSubscription));
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Put, "/subscriptions/t/providers/Microsoft.Authorization/roleAssignments/a"));
        Assert.True(pacer.TakeTurn(RequestMethod.Put, OtherIdentity) > TimeSpan.Zero);
    }

    [Fact]
    public void ARMs_own_bucket_code_paces_every_request_of_that_quota()
    {
        Throttle(Identity, Ms(100), code: "SubscriptionRequestsThrottled");

        Assert.Equal(Ms(100), pacer.TakeTurn(RequestMethod.Put, Assignment));
        Assert.Equal(Ms(100), pacer.SpacingOf(RequestMethod.Put, Assignment, ofQuota: true));
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Get, Assignment));
    }

    [Fact]
    public void The_rest_of_the_burst_that_taught_the_spacing_does_not_stretch_it()
    {
        var burstSent = now;
        now += Ms(5);
        foreach (var _ in Enumerable.Range(0, 14)) Throttle(Identity, Ms(500), sent: burstSent);

        Assert.Equal(Ms(500), pacer.SpacingOf(RequestMethod.Put, Identity, ofQuota: false));
    }

    [Fact]
    public void A_429_met_while_paced_grows_the_spacing_a_little_or_to_the_ask_but_at_most_twofold()
    {
        Throttle(Identity, Ms(500));
        now += Ms(1);
        foreach (var _ in Enumerable.Range(0, 20))
        {
            now += Ms(1);
            Throttle(Identity, Ms(10)); // only a little early: nudged, but never past a tenth over what was learned
        }
        Assert.Equal(Ms(500 * ThrottlePacer.JitterCeiling), pacer.SpacingOf(RequestMethod.Put, Identity, ofQuota: false));

        now += Ms(1);
        Throttle(Identity, Ms(300)); // too often: a little longer
        Assert.Equal(Ms(550 * ThrottlePacer.GrowFactor), pacer.SpacingOf(RequestMethod.Put, Identity, ofQuota: false));

        now += Ms(1);
        Throttle(Identity, Ms(700));
        Assert.Equal(Ms(700), pacer.SpacingOf(RequestMethod.Put, Identity, ofQuota: false));

        now += Ms(1);
        Throttle(Identity, TimeSpan.FromSeconds(20)); // a window limit: a pause, not a spacing
        Assert.Equal(Ms(1400), pacer.SpacingOf(RequestMethod.Put, Identity, ofQuota: false));
        Assert.True(pacer.TakeTurn(RequestMethod.Put, Identity) >= TimeSpan.FromSeconds(20) - Ms(1));
    }

    [Fact]
    public void Successes_keep_a_learned_spacing_and_only_a_long_run_of_them_lets_it_shrink()
    {
        Throttle(Identity, Ms(500));
        foreach (var _ in Enumerable.Range(0, ThrottlePacer.SuccessesBeforeRelaxing)) Succeed(Identity);
        Assert.Equal(Ms(500), pacer.SpacingOf(RequestMethod.Put, Identity, ofQuota: false));

        Succeed(Identity);
        Assert.Equal(Ms(500 * ThrottlePacer.RelaxFactor), pacer.SpacingOf(RequestMethod.Put, Identity, ofQuota: false));
    }

    [Fact]
    public void A_nearly_empty_ARM_bucket_is_paced_at_its_published_refill_rate_before_any_429_and_freed_once_refilled()
    {
        Succeed(Assignment, remaining: ThrottlePacer.LowWaterMark, method: RequestMethod.Get);

        var readRefill = TimeSpan.FromSeconds(1 / PublishedLimits.ArmReads.RefillPerSecond);
        Assert.Equal(readRefill, pacer.SpacingOf(RequestMethod.Get, Identity, ofQuota: true));
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Get, Identity));
        Assert.Equal(readRefill, pacer.TakeTurn(RequestMethod.Get, Assignment));
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Put, Assignment)); // writes have their own bucket

        Succeed(Assignment, remaining: ThrottlePacer.LowWaterMark + 1, method: RequestMethod.Get);
        Assert.Equal(TimeSpan.Zero, pacer.SpacingOf(RequestMethod.Get, Identity, ofQuota: true));
    }

    [Fact]
    public void A_lane_left_idle_long_enough_for_its_bucket_to_refill_ends()
    {
        Throttle(Identity, Ms(50));
        now += TimeSpan.FromSeconds(1);
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Put, Identity)); // its turn has long come ...
        Assert.Equal(Ms(50), pacer.SpacingOf(RequestMethod.Put, Identity, ofQuota: false)); // ... but the lane still paces

        now += TimeSpan.FromSeconds(5);
        Assert.Equal(TimeSpan.Zero, pacer.TakeTurn(RequestMethod.Put, Identity));
        Assert.Equal(TimeSpan.Zero, pacer.SpacingOf(RequestMethod.Put, Identity, ofQuota: false));
    }
}

/// <summary>How long a retry waits: the server's ask when it gives one, else exponential backoff with jitter.</summary>
public sealed class RetryBackoffTests
{
    [Fact]
    public void A_servers_ask_is_the_wait_even_when_shorter_than_the_backoff()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(50), RetryBackoff.Next(1, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50)));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryBackoff.Next(1, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(1, 400, 800)]
    [InlineData(3, 1600, 3200)]
    [InlineData(10, 5000, 10000)] // capped at 10 s
    public void Without_an_ask_the_wait_is_exponential_with_equal_jitter_and_capped(int retry, double atLeastMs, double atMostMs)
    {
        foreach (var _ in Enumerable.Range(0, 50))
        {
            var wait = RetryBackoff.Next(retry, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(10), null).TotalMilliseconds;
            Assert.InRange(wait, atLeastMs, atMostMs);
        }
    }
}
