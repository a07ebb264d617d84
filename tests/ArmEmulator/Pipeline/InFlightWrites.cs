namespace ArmEmulator;

/// <summary>
/// Keys of the serialised writes (<see cref="SerializedWrite"/>) being processed right now. Its own small lock, not
/// the state lock: a write holds its key for its whole processing time, while the state lock is only held for the
/// handler itself, so other requests - and writes under other keys - keep running in parallel.
/// </summary>
internal sealed class InFlightWrites
{
    private readonly HashSet<string> keys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key's slot, released on dispose; null while another write holds it.</summary>
    public IDisposable? TryEnter(string key)
    {
        lock (keys)
            if (!keys.Add(key)) return null;
        return new Slot(this, key);
    }

    private void Leave(string key)
    {
        lock (keys) keys.Remove(key);
    }

    private sealed class Slot(InFlightWrites owner, string key) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) owner.Leave(key);
        }
    }
}
