namespace ArmEmulator;

/// <summary>
/// The emulator's one clock: where "now" comes from, how long Azure takes for things, and how much faster than
/// Azure the emulator runs them. Durations here are Azure's (emulated) durations; <see cref="Real"/> turns one into
/// the wall-clock time the emulator waits. Every time-based behaviour is meant to read this object.
/// </summary>
public sealed class EmulatorClock
{
    /// <summary>Source of "now" (tests may substitute a fake provider).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Emulated seconds per real second: 1 = as slow as Azure, 60 = a minute of Azure passes in a second.</summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>
    /// How long a managed-cluster create/update runs before its operation reports Succeeded. Real AKS takes minutes
    /// (the recorded create polled InProgress for about 5 minutes); the default is short enough for interactive use.
    /// </summary>
    public TimeSpan ClusterOperationDuration { get; set; } = TimeSpan.FromSeconds(30);

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>The wall-clock time an emulated duration takes at <see cref="TimeScale"/>.</summary>
    public TimeSpan Real(TimeSpan emulated) => emulated / TimeScale;

    internal void Validate()
    {
        if (!(TimeScale > 0) || double.IsInfinity(TimeScale))
            throw new ArgumentOutOfRangeException(nameof(TimeScale), TimeScale, "The time scale must be a positive finite number.");
        ArgumentOutOfRangeException.ThrowIfLessThan(ClusterOperationDuration, TimeSpan.Zero, nameof(ClusterOperationDuration));
    }
}
