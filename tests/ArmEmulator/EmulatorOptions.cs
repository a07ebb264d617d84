namespace ArmEmulator;

public sealed class EmulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (default) takes a free one.</summary>
    public int Port { get; set; }
    /// <summary>JSON state file (same shape as GET /_emulator/state). Ignored when <see cref="State"/> is set.</summary>
    public string? StateFile { get; set; }
    public EmulatorState? State { get; set; }
    /// <summary>
    /// How long (emulated, on <see cref="Clock"/>) a new principal stays invisible to role assignments without principalType
    /// ServicePrincipal. A fault rule with code PrincipalNotFound forces the answer even with it.
    /// </summary>
    public TimeSpan PrincipalReplicationDelay { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// How long (emulated) a new or changed federated credential takes before token exchange honours it (state: effectiveAt).
    /// Azure: seconds to minutes. Zero by default, so a test sees a working setup at once unless it asks for the delay.
    /// </summary>
    public TimeSpan FederatedCredentialPropagationDelay { get; set; } = TimeSpan.Zero;
    /// <summary>How long (emulated) a new role assignment takes before it grants access (state: effectiveAt); Azure says up to 10 minutes. Zero by default.</summary>
    public TimeSpan RoleAssignmentPropagationDelay { get; set; } = TimeSpan.Zero;
    /// <summary>
    /// Enforce the managed-identity provider's limits (<see cref="Limits"/>: 0.25 create-or-update calls per second per
    /// identity, 2 per subscription, 10 per tenant; creations per 20 s). Off by default: a suite that updates one identity
    /// twice within 4 s would otherwise be throttled, as Azure would. ARM's own token buckets are always on.
    /// </summary>
    public bool EnforceIdentityLimits { get; set; }
    public int ListPageSize { get; set; } = 10;
    /// <summary>Lifetime (emulated, on <see cref="Clock"/>) of issued access tokens: with a time scale, a token expires mid-run.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(60);
    /// <summary>
    /// Processing time of a FIC PUT/DELETE. While it runs, another FIC write under the same identity gets 409
    /// ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity, as in real ARM. Small by default so the
    /// window is observable without slowing suites; zero keeps only the (tiny) handler window.
    /// </summary>
    public TimeSpan FederatedCredentialWriteLatency { get; set; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Now, Azure's durations (e.g. of a cluster update) and the time scale the emulator runs them at.</summary>
    public EmulatorClock Clock { get; set; } = new();
}
