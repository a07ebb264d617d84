namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// The ONE table of Azure's documented throttling numbers: the engine paces ahead of them, the ARM emulator
    /// (tests/ArmEmulator, which compiles this file in) enforces them. Times are Azure's; the emulator's time scale only
    /// makes them pass faster. Plain C# 7.3: it compiles into the netstandard2.0 engine and the net10 emulator alike.
    /// </summary>
    internal static class PublishedLimits
    {
        /// <summary>A token bucket: <see cref="Capacity"/> requests at once, refilled at <see cref="RefillPerSecond"/>.</summary>
        internal sealed class Bucket
        {
            public Bucket(double capacity, double refillPerSecond)
            {
                Capacity = capacity;
                RefillPerSecond = refillPerSecond;
            }

            public double Capacity { get; }

            public double RefillPerSecond { get; }
        }

        /// <summary>At most <see cref="Count"/> events per <see cref="WindowSeconds"/>.</summary>
        internal sealed class Window
        {
            public Window(int count, double windowSeconds)
            {
                Count = count;
                WindowSeconds = windowSeconds;
            }

            public int Count { get; }

            public double WindowSeconds { get; }
        }

        // ARM, per subscription and principal (and per tenant and principal for tenant-level requests): "Understand how Azure
        // Resource Manager throttles requests" (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling,
        // token bucket algorithm, 2024): reads 250 refilled 25/s, writes 200 refilled 10/s, deletes 200 refilled 10/s.
        public static readonly Bucket ArmReads = new Bucket(250, 25);
        public static readonly Bucket ArmWrites = new Bucket(200, 10);
        public static readonly Bucket ArmDeletes = new Bucket(200, 10);

        // The same page: global limits are 15 times the regional ones; recorded answers (2025) show -global-reads 3749,
        // -global-writes 2999 and -global-deletes 2999 after a fresh subscription's first request.
        public const double GlobalFactor = 15;

        // Managed identities: "Managed identity limits" (learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identities-faq#limits)
        // and ARM-CONTRACT.md: identity creations 80 per 20 s per subscription and region, 400 per 20 s per tenant and region.
        public static readonly Window IdentityCreationsPerSubscriptionRegion = new Window(80, 20);
        public static readonly Window IdentityCreationsPerTenantRegion = new Window(400, 20);

        // The same page: create-or-update calls on user-assigned identities 10/s per tenant, 2/s per subscription, 0.25/s
        // per resource (a bucket of one call, refilled every 4 s, for the resource).
        public static readonly Bucket IdentityWritesPerTenant = new Bucket(10, 10);
        public static readonly Bucket IdentityWritesPerSubscription = new Bucket(2, 2);
        public static readonly Bucket IdentityWritesPerResource = new Bucket(1, 0.25);

        // Entra ID, "Workload identity federation considerations": at most 20 federated credentials per identity.
        public const int FederatedCredentialsPerIdentity = 20;

        /// <summary>ARM's bucket for a quota kind as the remaining-quota headers name it: reads, writes or deletes.</summary>
        public static Bucket ArmBucket(string quota) =>
            quota == "reads" ? ArmReads : quota == "deletes" ? ArmDeletes : ArmWrites;
    }
}
