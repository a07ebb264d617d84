namespace ArmEmulator;

public sealed class EmulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (default) takes a free one.</summary>
    public int Port { get; set; }
    /// <summary>JSON state file (same shape as GET /_emulator/state). Ignored when <see cref="State"/> is set.</summary>
    public string? StateFile { get; set; }
    public EmulatorState? State { get; set; }
    /// <summary>How long a new principal stays invisible to role assignments without principalType ServicePrincipal.</summary>
    public TimeSpan PrincipalReplicationDelay { get; set; } = TimeSpan.FromSeconds(30);
    public int ListPageSize { get; set; } = 10;
    /// <summary>Lifetime of issued access tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(60);
    /// <summary>
    /// Processing time of a FIC PUT/DELETE. While it runs, another FIC write under the same identity gets 409
    /// ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity, as in real ARM. Small by default so the
    /// window is observable without slowing suites; zero keeps only the (tiny) handler window.
    /// </summary>
    public TimeSpan FederatedCredentialWriteLatency { get; set; } = TimeSpan.FromMilliseconds(50);
    /// <summary>How long a new role assignment takes before ARM's authorization honours it (real Azure: up to minutes).</summary>
    public TimeSpan RoleAssignmentPropagationDelay { get; set; } = TimeSpan.Zero;
    /// <summary>Now, Azure's durations (e.g. of a cluster update) and the time scale the emulator runs them at.</summary>
    public EmulatorClock Clock { get; set; } = new();
}
