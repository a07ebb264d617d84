namespace ArmEmulator;

/// <summary>Thread-safe holder of the current state: every read or write of <see cref="Current"/> happens under <see cref="Gate"/>.</summary>
internal sealed class StateStore
{
    private readonly EmulatorState initial;

    public StateStore(EmulatorState initial)
    {
        this.initial = initial.DeepCopy();
        Current = initial.DeepCopy();
    }

    public object Gate { get; } = new();
    public EmulatorState Current { get; private set; }

    public void Reset() { lock (Gate) Current = initial.DeepCopy(); }

    public EmulatorState Snapshot() { lock (Gate) return Current.DeepCopy(); }

    public T Read<T>(Func<EmulatorState, T> read) { lock (Gate) return read(Current); }

    // Lookups below expect the caller to hold Gate.
    public SubscriptionState? Subscription(string id) =>
        Current.Subscriptions.FirstOrDefault(s => string.Equals(s.SubscriptionId, id, StringComparison.OrdinalIgnoreCase));

    public ResourceGroupState? ResourceGroup(string sub, string rg) =>
        Current.ResourceGroups.FirstOrDefault(r => Eq(r.SubscriptionId, sub) && Eq(r.Name, rg));

    public IdentityState? Identity(string sub, string rg, string name) =>
        Current.Identities.FirstOrDefault(i => Eq(i.SubscriptionId, sub) && Eq(i.ResourceGroup, rg) && Eq(i.Name, name));

    public ClusterState? Cluster(string sub, string rg, string name) =>
        Current.Clusters.FirstOrDefault(c => Eq(c.SubscriptionId, sub) && Eq(c.ResourceGroup, rg) && Eq(c.Name, name));

    public PrincipalState? Principal(string objectId) =>
        Current.Principals.FirstOrDefault(p => Eq(p.ObjectId, objectId));

    public RoleDefinitionState? RoleDefinition(string guid) =>
        Current.RoleDefinitions.FirstOrDefault(d => Eq(d.Name, guid));

    public static bool Eq(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
