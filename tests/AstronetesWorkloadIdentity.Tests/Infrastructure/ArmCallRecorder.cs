using System.Collections.Concurrent;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Tests.Infrastructure;

/// <summary>Collects what the engine reports through IArmCallObserver (and IArmRetryObserver: its waits).</summary>
public sealed class ArmCallRecorder : IArmCallObserver, IArmRetryObserver
{
    private readonly ConcurrentQueue<ArmCallRecord> records = new();
    private readonly ConcurrentQueue<ArmRetryRecord> retries = new();

    public IReadOnlyList<ArmCallRecord> Records => records.ToArray();
    public IReadOnlyList<ArmRetryRecord> Retries => retries.ToArray();

    public void OnCall(ArmCallRecord record) => records.Enqueue(record);

    public void OnRetry(ArmRetryRecord record) => retries.Enqueue(record);
}
