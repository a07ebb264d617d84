using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Reliability;

/// <summary>
/// An emulator that behaves like Azure at 60x: replication delay 30 s (0.5 s real), tokens that live 2 minutes (2 s real),
/// the managed-identity limits enforced. Connections retry fast so a run with many faults takes a second or two.
/// </summary>
public sealed class ScaledEmulatorFixture : EmulatorFixture
{
    public const double Scale = 60;

    protected override EmulatorOptions CreateEmulatorOptions() => new()
    {
        Clock = new EmulatorClock { TimeScale = Scale },
        PrincipalReplicationDelay = TimeSpan.FromSeconds(30),
        TokenLifetime = TimeSpan.FromMinutes(2),
        EnforceIdentityLimits = true,
    };

    public ArmConnection CreateResilientConnection(Action<ArmConnectionOptions>? configure = null) => CreateDeployerConnection(o =>
    {
        o.MaxRetries = 6;
        o.RetryDelay = TimeSpan.FromMilliseconds(20);
        o.MaxRetryDelay = TimeSpan.FromSeconds(2);
        o.MaxRetryTime = TimeSpan.FromSeconds(30);
        o.PrincipalReplicationRetryDelay = TimeSpan.FromMilliseconds(20);
        o.PrincipalReplicationTimeout = TimeSpan.FromSeconds(20);
        configure?.Invoke(o);
    });

    /// <summary>The emulator's state holds exactly the one setup of <paramref name="agent"/>, with the right values.</summary>
    public void AssertExactlyOneSetup(string identityName, string agent)
    {
        var state = Server.Snapshot();
        var identity = Assert.Single(state.Identities, i => i.Name == identityName);
        var assignment = Assert.Single(state.RoleAssignments, r => string.Equals(r.PrincipalId, identity.PrincipalId, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(EmulatorDefaults.ReaderRoleId, assignment.RoleDefinitionName);
        Assert.Equal("/subscriptions/" + SubscriptionId, assignment.Scope.TrimEnd('/'));
        Assert.Equal("ServicePrincipal", assignment.PrincipalType);
        var credential = Assert.Single(identity.FederatedIdentityCredentials);
        Assert.Equal("system:serviceaccount:resiliency-system:" + agent, credential.Subject);
        Assert.Equal(Server.BaseUri + "oic/westeurope/" + EmulatorDefaults.TenantId + "/" + EmulatorDefaults.ClusterReadyIssuerId + "/", credential.Issuer);
        Assert.Equal(new[] { AgentDefaults.Audience }, credential.Audiences);
    }
}
