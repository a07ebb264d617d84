namespace ArmEmulator;

/// <summary>A token bucket's size and refill rate (tokens per emulated second).</summary>
public sealed record BucketLimit(double Capacity, double RefillPerSecond);

/// <summary>At most <see cref="Count"/> events per <see cref="Window"/> (emulated time).</summary>
public sealed record WindowLimit(int Count, TimeSpan Window);

/// <summary>
/// Every throttling number the emulator enforces, in one table, each with its source. Times are Azure's (emulated);
/// <see cref="EmulatorClock.TimeScale"/> makes them pass faster.
/// </summary>
public static class Limits
{
    // ARM, per subscription and principal (and per tenant and principal for tenant-level requests): "Understand how Azure
    // Resource Manager throttles requests" (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling,
    // token bucket algorithm, 2024): reads 250 refilled 25/s, writes 200 refilled 10/s, deletes 200 refilled 10/s.
    public static readonly BucketLimit ArmReads = new(250, 25);
    public static readonly BucketLimit ArmWrites = new(200, 10);
    public static readonly BucketLimit ArmDeletes = new(200, 10);

    // The same page: global limits are 15 times the regional ones; recorded answers (2025) show -global-reads 3749,
    // -global-writes 2999 and -global-deletes 2999 after a fresh subscription's first request.
    public const double GlobalFactor = 15;

    // Managed identities: "Managed identity limits" (learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identities-faq#limits)
    // and ARM-CONTRACT.md: identity creations 80 per 20 s per subscription and region, 400 per 20 s per tenant and region.
    public static readonly WindowLimit IdentityCreationsPerSubscriptionRegion = new(80, TimeSpan.FromSeconds(20));
    public static readonly WindowLimit IdentityCreationsPerTenantRegion = new(400, TimeSpan.FromSeconds(20));

    // The same page: create-or-update calls on user-assigned identities 10/s per tenant, 2/s per subscription, 0.25/s
    // per resource (a bucket of one call, refilled every 4 s, for the resource).
    public static readonly BucketLimit IdentityWritesPerTenant = new(10, 10);
    public static readonly BucketLimit IdentityWritesPerSubscription = new(2, 2);
    public static readonly BucketLimit IdentityWritesPerResource = new(1, 0.25);

    // Entra ID, "Workload identity federation considerations": at most 20 federated credentials per identity.
    public const int FederatedCredentialsPerIdentity = 20;
}
