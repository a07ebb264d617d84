namespace ArmEmulator;

/// <summary>
/// One request the emulator received (ARM and token requests; admin calls are not logged).
/// <see cref="Body"/> is the request body of ARM requests only: token requests carry secrets and are never logged,
/// nor are Authorization headers.
/// </summary>
public sealed record RequestLogEntry
{
    public DateTimeOffset Time { get; init; }
    /// <summary>When the answer was known (null while in flight): with <see cref="Time"/>, which requests overlapped.</summary>
    public DateTimeOffset? Completed { get; init; }
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";
    public string Query { get; init; } = "";
    public int Status { get; init; }
    /// <summary>ARM error code (or the AAD "error" of a token request, or a fault's code); null on success.</summary>
    public string? ErrorCode { get; init; }
    public string? ClientRequestId { get; init; }
    public string? UserAgent { get; init; }
    public string? Body { get; init; }
}

/// <summary>The ordered request log. Entries are added on arrival and completed when the response is known.</summary>
internal sealed class RequestLog
{
    private readonly object gate = new();
    private readonly List<RequestLogEntry> entries = new();

    public int Add(RequestLogEntry entry)
    {
        lock (gate) { entries.Add(entry); return entries.Count - 1; }
    }

    public void Complete(int index, int status, string? errorCode, DateTimeOffset completed)
    {
        lock (gate)
        {
            if (index < entries.Count) entries[index] = entries[index] with { Status = status, ErrorCode = errorCode, Completed = completed };
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot() { lock (gate) return entries.ToArray(); }

    public void Clear() { lock (gate) entries.Clear(); }
}
