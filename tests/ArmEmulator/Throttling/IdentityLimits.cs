using System.Globalization;

namespace ArmEmulator;

/// <summary>
/// The managed-identity provider's own limits on user-assigned identity writes (numbers and sources in <see cref="Limits"/>):
/// creations per subscription+region and per tenant+region in a 20 s window, and create-or-update calls per tenant, per
/// subscription and per resource as token buckets. Checked by the identity PUT before it changes anything, so a throttled
/// write leaves no trace.
/// </summary>
internal sealed class IdentityLimits(EmulatorClock clock)
{
    private readonly Dictionary<string, TokenBucket> buckets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<DateTimeOffset>> windows = new(StringComparer.OrdinalIgnoreCase);
    private readonly object gate = new();

    /// <summary>Counts one create-or-update (and, when <paramref name="creates"/>, one creation); throws 429 with Retry-After when over a limit.</summary>
    public void Admit(string tenantId, string subscriptionId, string region, string resourceId, bool creates)
    {
        var now = clock.Now;
        lock (gate)
        {
            var writeBuckets = new[]
            {
                ("tenant", Bucket($"t|{tenantId}", Limits.IdentityWritesPerTenant, now)),
                ("subscription", Bucket($"s|{subscriptionId}", Limits.IdentityWritesPerSubscription, now)),
                ("resource", Bucket($"r|{resourceId}", Limits.IdentityWritesPerResource, now)),
            };
            foreach (var (scope, bucket) in writeBuckets)
            {
                if (!bucket.HasToken(now, clock.TimeScale, out var wait)) throw Throttled($"create or update calls per {scope}", wait);
            }
            var creationWindows = creates
                ? new[]
                {
                    ("subscription and region", Window($"s|{subscriptionId}|{region}"), Limits.IdentityCreationsPerSubscriptionRegion),
                    ("tenant and region", Window($"t|{tenantId}|{region}"), Limits.IdentityCreationsPerTenantRegion),
                }
                : [];
            foreach (var (scope, events, limit) in creationWindows)
            {
                Expire(events, limit, now);
                if (events.Count >= limit.Count)
                    throw Throttled($"identity creations per {scope} ({limit.Count} per {limit.Window.TotalSeconds:0} s)", limit.Window - EmulatedSince(events.Peek(), now));
            }
            foreach (var (_, bucket) in writeBuckets) bucket.TryTake(now, clock.TimeScale, out _);
            foreach (var (_, events, _) in creationWindows) events.Enqueue(now);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            buckets.Clear();
            windows.Clear();
        }
    }

    private ArmException Throttled(string what, TimeSpan emulatedWait)
    {
        var real = clock.Real(emulatedWait < TimeSpan.Zero ? TimeSpan.Zero : emulatedWait);
        var seconds = Math.Max(1, (int)Math.Ceiling(real.TotalSeconds));
        var headers = new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) };
        if (clock.TimeScale != 1) headers["x-ms-retry-after-ms"] = Math.Max(1, (int)Math.Ceiling(real.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        // Code and wording unconfirmed in public material: the provider-throttling code ARM-CONTRACT.md names.
        return new ArmException(429, "ResourceRequestsThrottled",
            $"The request is throttled by Microsoft.ManagedIdentity: too many {what}. Please try again after {seconds} seconds.") { Headers = headers };
    }

    private TokenBucket Bucket(string key, BucketLimit limit, DateTimeOffset now)
    {
        if (!buckets.TryGetValue(key, out var bucket)) buckets[key] = bucket = new TokenBucket(limit, now);
        return bucket;
    }

    private Queue<DateTimeOffset> Window(string key)
    {
        if (!windows.TryGetValue(key, out var q)) windows[key] = q = new Queue<DateTimeOffset>();
        return q;
    }

    private void Expire(Queue<DateTimeOffset> events, WindowLimit limit, DateTimeOffset now)
    {
        while (events.Count > 0 && EmulatedSince(events.Peek(), now) >= limit.Window) events.Dequeue();
    }

    private TimeSpan EmulatedSince(DateTimeOffset then, DateTimeOffset now) => (now - then) * clock.TimeScale;
}
