using AstronetesWorkloadIdentity.Engine;

namespace ArmEmulator;

/// <summary>A token bucket's size and refill rate (tokens per emulated second).</summary>
public sealed record BucketLimit(double Capacity, double RefillPerSecond);

/// <summary>At most <see cref="Count"/> events per <see cref="Window"/> (emulated time).</summary>
public sealed record WindowLimit(int Count, TimeSpan Window);

/// <summary>
/// Every throttling number the emulator enforces, taken from the one table the engine paces by
/// (src/AstronetesWorkloadIdentity.Engine/PublishedLimits.cs, with each number's source). Times are Azure's (emulated);
/// <see cref="EmulatorClock.TimeScale"/> makes them pass faster.
/// </summary>
public static class Limits
{
    public static readonly BucketLimit ArmReads = From(PublishedLimits.ArmReads);
    public static readonly BucketLimit ArmWrites = From(PublishedLimits.ArmWrites);
    public static readonly BucketLimit ArmDeletes = From(PublishedLimits.ArmDeletes);
    public const double GlobalFactor = PublishedLimits.GlobalFactor;

    public static readonly WindowLimit IdentityCreationsPerSubscriptionRegion = From(PublishedLimits.IdentityCreationsPerSubscriptionRegion);
    public static readonly WindowLimit IdentityCreationsPerTenantRegion = From(PublishedLimits.IdentityCreationsPerTenantRegion);

    public static readonly BucketLimit IdentityWritesPerTenant = From(PublishedLimits.IdentityWritesPerTenant);
    public static readonly BucketLimit IdentityWritesPerSubscription = From(PublishedLimits.IdentityWritesPerSubscription);
    public static readonly BucketLimit IdentityWritesPerResource = From(PublishedLimits.IdentityWritesPerResource);

    public const int FederatedCredentialsPerIdentity = PublishedLimits.FederatedCredentialsPerIdentity;

    private static BucketLimit From(PublishedLimits.Bucket b) => new(b.Capacity, b.RefillPerSecond);

    private static WindowLimit From(PublishedLimits.Window w) => new(w.Count, TimeSpan.FromSeconds(w.WindowSeconds));
}
