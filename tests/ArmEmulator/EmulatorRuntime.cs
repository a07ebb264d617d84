namespace ArmEmulator;

/// <summary>Everything one running emulator shares between its pipeline stages.</summary>
internal sealed class EmulatorRuntime
{
    public EmulatorRuntime(EmulatorOptions options, EmulatorState initial)
    {
        Options = options;
        Store = new StateStore(initial);
        Tokens = new TokenIssuer(Clock, Keys);
        Throttling = new ArmThrottling(options.Clock);
        IdentityLimits = new IdentityLimits(options.Clock);
    }

    public EmulatorOptions Options { get; }
    /// <summary>The one clock all parties read: now (moved forward by tests), Azure's durations, the time scale (see <see cref="EmulatorClock"/>).</summary>
    public EmulatorClock Clock => Options.Clock;
    public TimeProvider Time => Clock;
    /// <summary>The signing keys of Entra ID and of every cluster issuer.</summary>
    public KeyStore Keys { get; } = new();
    public StateStore Store { get; }
    public TokenIssuer Tokens { get; }
    public RequestLog Log { get; } = new();
    public FaultInjector Faults { get; } = new();
    /// <summary>ARM's token buckets (remaining-quota headers, 429).</summary>
    public ArmThrottling Throttling { get; private set; } = null!;
    /// <summary>The managed-identity provider's own limits.</summary>
    public IdentityLimits IdentityLimits { get; private set; } = null!;
    /// <summary>Serialised writes being processed (not state: Reset leaves in-flight requests to release their own keys).</summary>
    public InFlightWrites InFlightWrites { get; } = new();
    /// <summary>The TLS certificate every party serves with (the CA of the kubeconfigs).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ServerCertificate { get; set; }
    /// <summary>https://127.0.0.1:PORT/ once listening.</summary>
    public Uri BaseUri { get; set; } = new("https://127.0.0.1/");
    /// <summary>Operations (cluster create/update) by id, finishing on <see cref="Clock"/>.</summary>
    public ClusterOperations Operations { get; } = new();

    /// <summary>Real form ({region}.oic.prod-aks.azure.com/{tenant}/{uuid}/) served here: {base}oic/{region}/{tenant}/{uuid}/ (trailing slash).</summary>
    public string IssuerUrl(ClusterState c) => $"{BaseUri}oic/{c.Location}/{Store.Current.TenantId}/{c.OidcIssuerId}/";

    /// <summary>Authority of this emulator's Entra ID: {base}{tenant}.</summary>
    public string Authority => $"{BaseUri}{Store.Current.TenantId}";

    /// <summary>
    /// Deletes the cluster and creates it again under the same name and settings, as an operator re-deploying it would:
    /// it gets a new issuer URL (and system identity), so drift after re-creation can be tested. Returns the new cluster.
    /// </summary>
    public ClusterState RecreateCluster(string subscriptionId, string resourceGroup, string name)
    {
        lock (Store.Gate)
        {
            var old = Store.Cluster(subscriptionId, resourceGroup, name)
                ?? throw new ArgumentException($"No cluster '{name}' in resource group '{resourceGroup}'.", nameof(name));
            var fresh = new ClusterState
            {
                SubscriptionId = old.SubscriptionId, ResourceGroup = old.ResourceGroup, Name = old.Name, Location = old.Location,
                KubernetesVersion = old.KubernetesVersion, OidcIssuerEnabled = old.OidcIssuerEnabled, WorkloadIdentityEnabled = old.WorkloadIdentityEnabled,
            };
            var state = Store.Current;
            state.Clusters[state.Clusters.IndexOf(old)] = fresh;
            return fresh;
        }
    }

    public void GrantRole(string principalObjectId, string roleName, string scope)
    {
        lock (Store.Gate)
        {
            var state = Store.Current;
            var role = state.RoleDefinitions.FirstOrDefault(r => StateStore.Eq(r.RoleName, roleName) || StateStore.Eq(r.Name, roleName))
                ?? throw new ArgumentException($"Unknown role '{roleName}'.", nameof(roleName));
            var normalizedScope = scope.Length > 1 ? scope.TrimEnd('/') : scope;
            if (state.RoleAssignments.Any(r => StateStore.Eq(r.PrincipalId, principalObjectId) && StateStore.Eq(r.RoleDefinitionName, role.Name)
                                                && StateStore.Eq(r.Scope.TrimEnd('/'), normalizedScope.TrimEnd('/'))))
                return;
            var principal = Store.Principal(principalObjectId);
            var now = Time.GetUtcNow();
            state.RoleAssignments.Add(new RoleAssignmentState
            {
                Name = ClusterRoutes.DeterministicGuid(normalizedScope.ToLowerInvariant(), role.Name, principalObjectId.ToLowerInvariant()),
                Scope = normalizedScope, RoleDefinitionName = role.Name, PrincipalId = principalObjectId,
                PrincipalType = principal?.PrincipalType ?? "User", CreatedOn = now, UpdatedOn = now,
            });
        }
    }
}
