using ArmEmulator;

namespace AstronetesWorkloadIdentity.Tests.Infrastructure;

/// <summary>
/// The default state plus two clusters for the exchange check: one whose clock runs an hour behind (its tokens arrive at
/// Entra ID already expired) and one with Entra ID integration (its user kubeconfig runs kubelogin).
/// </summary>
public sealed class ExchangeEmulatorFixture : EmulatorFixture
{
    public const string SkewedCluster = "aks-skewed";
    public const string EntraCluster = "aks-entra";

    protected override EmulatorOptions CreateEmulatorOptions()
    {
        var state = DefaultState.Create();
        state.Clusters.Add(Cluster(SkewedCluster, "3e4f5061-7283-49a4-b5c6-d7e8f90a1b2c", k => k.ClockSkewSeconds = -3600));
        state.Clusters.Add(Cluster(EntraCluster, "4f506172-8394-4ab5-c6d7-e8f90a1b2c3d", k => k.EntraIntegrated = true));
        return new EmulatorOptions { State = state };
    }

    private static ClusterState Cluster(string name, string issuerId, Action<KubernetesState> configure)
    {
        var cluster = new ClusterState
        {
            SubscriptionId = EmulatorDefaults.SubscriptionId, ResourceGroup = EmulatorDefaults.ResourceGroup, Name = name, Location = EmulatorDefaults.Location,
            OidcIssuerEnabled = true, WorkloadIdentityEnabled = true, OidcIssuerId = issuerId,
        };
        configure(cluster.Kubernetes);
        return cluster;
    }
}

/// <summary>
/// Role assignments take a while to be honoured, as in real Azure: longer than any check takes to reach ARM, so the first
/// read is surely refused; tests then move the emulator's clock past it instead of waiting.
/// </summary>
public sealed class SlowRolePropagationFixture : EmulatorFixture
{
    public static readonly TimeSpan Delay = TimeSpan.FromMinutes(5);
    protected override EmulatorOptions CreateEmulatorOptions() => new() { RoleAssignmentPropagationDelay = Delay };
}
