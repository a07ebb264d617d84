using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>
/// The remaining-quota numbers ARM reports on every answer: x-ms-ratelimit-remaining-subscription-{reads|writes|deletes}
/// and the -global- forms (recorded 2025: writes 199 / global-writes 2999, deletes 199 / global-deletes 2999,
/// global-reads 3749 on a fresh subscription; the subscription bucket for reads is 250). For now plain counters per
/// subscription that only go down (reset with the emulator); real token buckets that refill and throttle replace this
/// class, so everything else only calls <see cref="Apply"/>.
/// </summary>
internal sealed class RemainingQuota
{
    private const string Prefix = "x-ms-ratelimit-remaining-subscription-";
    private static readonly Dictionary<string, (int Subscription, int Global)> Budgets = new()
    {
        ["reads"] = (250, 3750),
        ["writes"] = (200, 3000),
        ["deletes"] = (200, 3000),
    };

    private readonly Dictionary<(string Subscription, string Kind), int> used = new();
    private readonly object gate = new();

    /// <summary>Counts the request and writes its two headers (the bucket follows the HTTP method, as ARM's does).</summary>
    public void Apply(HttpContext context)
    {
        var kind = KindOf(context.Request.Method);
        var subscription = SubscriptionOf(context.Request.Path.Value) ?? "";
        int n;
        lock (gate)
        {
            used.TryGetValue((subscription, kind), out n);
            used[(subscription, kind)] = ++n;
        }
        var (sub, global) = Budgets[kind];
        context.Response.Headers[Prefix + kind] = Math.Max(0, sub - n).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers[Prefix + "global-" + kind] = Math.Max(0, global - n).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Clear() { lock (gate) used.Clear(); }

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
}
