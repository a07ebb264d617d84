namespace ArmEmulator;

/// <summary>A token bucket on the emulator's clock: refills in emulated time (real time x TimeScale). Not thread-safe: callers lock.</summary>
internal sealed class TokenBucket(BucketLimit limit, DateTimeOffset now)
{
    private double tokens = limit.Capacity;
    private DateTimeOffset last = now;

    public BucketLimit Limit { get; } = limit;

    /// <summary>Refills, then takes one token if there is one. <paramref name="wait"/> is the emulated time until one is.</summary>
    public bool TryTake(DateTimeOffset now, double timeScale, out TimeSpan wait)
    {
        Refill(now, timeScale);
        if (tokens >= 1)
        {
            tokens -= 1;
            wait = TimeSpan.Zero;
            return true;
        }
        wait = TimeSpan.FromSeconds((1 - tokens) / Limit.RefillPerSecond);
        return false;
    }

    /// <summary>Refills and says whether a token is there, without taking it.</summary>
    public bool HasToken(DateTimeOffset now, double timeScale, out TimeSpan wait)
    {
        Refill(now, timeScale);
        wait = tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - tokens) / Limit.RefillPerSecond);
        return tokens >= 1;
    }

    /// <summary>Whole tokens left, as the remaining-quota headers report them.</summary>
    public int Remaining(DateTimeOffset now, double timeScale)
    {
        Refill(now, timeScale);
        return (int)Math.Floor(tokens);
    }

    private void Refill(DateTimeOffset now, double timeScale)
    {
        var emulated = (now - last).TotalSeconds * timeScale;
        if (emulated > 0) tokens = Math.Min(Limit.Capacity, tokens + emulated * Limit.RefillPerSecond);
        if (now > last) last = now;
    }
}
