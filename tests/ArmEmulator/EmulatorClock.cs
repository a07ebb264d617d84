namespace ArmEmulator;

/// <summary>
/// The emulator's one clock, read by every party (ARM, Entra ID, the clusters' issuers and API servers): where "now"
/// comes from, how long Azure takes for things, and how much faster than Azure the emulator runs them. Durations here
/// are Azure's (emulated) durations; <see cref="Real"/> turns one into the wall-clock time the emulator waits.
/// Every time-based behaviour is meant to read this object (it is itself the <see cref="TimeProvider"/> they read).
/// </summary>
public sealed class EmulatorClock : TimeProvider
{
    private long offsetTicks;

    /// <summary>Source of "now" (tests may substitute a fake provider).</summary>
    public TimeProvider Time { get; init; } = System;

    /// <summary>Emulated seconds per real second: 1 = as slow as Azure, 60 = a minute of Azure passes in a second.</summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>
    /// How long a managed-cluster create/update runs before its operation reports Succeeded. Real AKS takes minutes
    /// (the recorded create polled InProgress for about 5 minutes); the default is short enough for interactive use.
    /// </summary>
    public TimeSpan ClusterOperationDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far the clock has been moved forward (<see cref="Advance"/>, POST /_emulator/clock) beyond <see cref="Time"/>:
    /// lets issued tokens expire and delays pass without waiting, also when <see cref="Time"/> is the system clock.
    /// </summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public DateTimeOffset Now => Time.GetUtcNow() + Offset;

    public override DateTimeOffset GetUtcNow() => Now;

    // Timers and timestamps follow the source, so a fake Time drives waits on this clock too.
    public override long GetTimestamp() => Time.GetTimestamp();
    public override long TimestampFrequency => Time.TimestampFrequency;
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Time.CreateTimer(callback, state, dueTime, period);

    /// <summary>"Now" on a cluster whose node clock is skewed (<c>ClockSkewSeconds</c>; the real cause of AADSTS700024).</summary>
    internal DateTimeOffset NowOn(ClusterState cluster) => Now.AddSeconds(cluster.Kubernetes.ClockSkewSeconds);

    /// <summary>Moves "now" forward for every party.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero, nameof(by));
        Interlocked.Add(ref offsetTicks, by.Ticks);
    }

    /// <summary>Takes back every <see cref="Advance"/> (the emulator's Reset).</summary>
    public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);

    /// <summary>The wall-clock time an emulated duration takes at <see cref="TimeScale"/>.</summary>
    public TimeSpan Real(TimeSpan emulated) => emulated / TimeScale;

    internal void Validate()
    {
        if (!(TimeScale > 0) || double.IsInfinity(TimeScale))
            throw new ArgumentOutOfRangeException(nameof(TimeScale), TimeScale, "The time scale must be a positive finite number.");
        ArgumentOutOfRangeException.ThrowIfLessThan(ClusterOperationDuration, TimeSpan.Zero, nameof(ClusterOperationDuration));
    }
}
