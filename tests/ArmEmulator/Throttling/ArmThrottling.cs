using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>
/// ARM's own throttling, in front of every resource provider: a token bucket per subscription and principal for each of
/// reads, writes and deletes (by HTTP method), one 15 times larger per subscription (the -global- numbers), and per
/// tenant and principal for requests that name no subscription. Every ARM answer carries the remaining-quota headers;
/// an empty bucket answers 429 with Retry-After. Numbers in <see cref="Limits"/>.
/// </summary>
internal sealed class ArmThrottling(EmulatorClock clock)
{
    private const string SubscriptionPrefix = "x-ms-ratelimit-remaining-subscription-";
    private const string TenantPrefix = "x-ms-ratelimit-remaining-tenant-";
    private readonly Dictionary<string, TokenBucket> buckets = new(StringComparer.OrdinalIgnoreCase);
    private readonly object gate = new();

    /// <summary>Takes a token for the request and writes its headers; false (the 429 written) when a bucket is empty.</summary>
    public async Task<bool> TryAdmitAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var kind = KindOf(context.Request.Method);
        var limit = kind switch { "reads" => Limits.ArmReads, "deletes" => Limits.ArmDeletes, _ => Limits.ArmWrites };
        var subscription = SubscriptionOf(context.Request.Path.Value);
        var principal = PrincipalOf(context, runtime);
        var now = clock.Now;
        bool admitted;
        TimeSpan wait;
        string? throttledBy;
        lock (gate)
        {
            if (subscription is null)
            {
                var tenant = Bucket($"tenant|{principal}|{kind}", limit, now);
                admitted = tenant.TryTake(now, clock.TimeScale, out wait);
                throttledBy = admitted ? null : "tenant";
                context.Response.Headers[TenantPrefix + kind] = Text(tenant.Remaining(now, clock.TimeScale));
            }
            else
            {
                var regional = Bucket($"sub|{subscription}|{principal}|{kind}", limit, now);
                var global = Bucket($"global|{subscription}|{kind}", new BucketLimit(limit.Capacity * Limits.GlobalFactor, limit.RefillPerSecond * Limits.GlobalFactor), now);
                admitted = regional.TryTake(now, clock.TimeScale, out wait);
                if (admitted && !global.TryTake(now, clock.TimeScale, out wait)) admitted = false;
                throttledBy = admitted ? null : "subscription";
                context.Response.Headers[SubscriptionPrefix + kind] = Text(regional.Remaining(now, clock.TimeScale));
                context.Response.Headers[SubscriptionPrefix + "global-" + kind] = Text(global.Remaining(now, clock.TimeScale));
            }
        }
        if (admitted) return true;
        var seconds = RetryAfter.Write(context, wait, clock);
        // Message form of ARM's token-bucket throttling (aka.ms/arm-throttling); the tenant code is unconfirmed.
        var code = throttledBy == "tenant" ? "TenantRequestsThrottled" : "SubscriptionRequestsThrottled";
        var scope = throttledBy == "tenant" ? "tenant" : $"subscription '{subscription}'";
        await ArmErrors.WriteAsync(context, 429, code,
            $"Number of '{kind.TrimEnd('s')}' requests for {scope} actor '{principal}' exceeded. Please try again after '{seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling");
        return false;
    }

    public void Clear() { lock (gate) buckets.Clear(); }

    private TokenBucket Bucket(string key, BucketLimit limit, DateTimeOffset now)
    {
        if (!buckets.TryGetValue(key, out var bucket)) buckets[key] = bucket = new TokenBucket(limit, now);
        return bucket;
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string KindOf(string method) => method switch
    {
        "GET" or "HEAD" => "reads",
        "DELETE" => "deletes",
        _ => "writes",
    };

    private static string? SubscriptionOf(string? path)
    {
        var s = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return s.Length >= 2 && s[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ? s[1].ToLowerInvariant() : null;
    }

    /// <summary>The caller's object ID from its token (expired or not: ARM counts the request either way); "anonymous" without one.</summary>
    private static string PrincipalOf(HttpContext context, EmulatorRuntime runtime)
    {
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return "anonymous";
        runtime.Tokens.Validate(header[7..].Trim(), out var claims);
        return claims?.ObjectId ?? "anonymous";
    }
}

/// <summary>How a throttled answer says when to come back, on the emulator's clock.</summary>
internal static class RetryAfter
{
    /// <summary>
    /// Retry-After in whole real seconds (at least 1, as ARM sends). With a time scale other than 1 the emulated wait is
    /// shorter than a second, so x-ms-retry-after-ms (which Azure.Core reads first) carries it exactly: a deliberate
    /// difference from Azure, needed for scaled time. Returns the Retry-After seconds.
    /// </summary>
    public static int Write(HttpContext context, TimeSpan emulatedWait, EmulatorClock clock)
    {
        var real = clock.Real(emulatedWait);
        var seconds = Math.Max(1, (int)Math.Ceiling(real.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (clock.TimeScale != 1)
            context.Response.Headers["x-ms-retry-after-ms"] = Math.Max(1, (int)Math.Ceiling(real.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        return seconds;
    }
}
