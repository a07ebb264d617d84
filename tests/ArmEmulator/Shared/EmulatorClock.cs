namespace ArmEmulator;

/// <summary>
/// The one clock every party reads (ARM, Entra ID, the clusters' issuers and API servers): the system clock plus an
/// offset that tests move forward (POST /_emulator/clock) to let issued tokens expire without waiting.
/// </summary>
internal sealed class EmulatorClock : TimeProvider
{
    private readonly TimeProvider inner;
    private long offsetTicks;

    public EmulatorClock(TimeProvider? inner = null) => this.inner = inner ?? System;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero, nameof(by));
        Interlocked.Add(ref offsetTicks, by.Ticks);
    }

    public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);
}
