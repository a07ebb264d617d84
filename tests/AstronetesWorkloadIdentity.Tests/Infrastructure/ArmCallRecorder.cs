using System.Collections.Concurrent;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Tests.Infrastructure;

/// <summary>Collects what the engine reports through IArmCallObserver.</summary>
public sealed class ArmCallRecorder : IArmCallObserver
{
    private readonly ConcurrentQueue<ArmCallRecord> records = new();

    public IReadOnlyList<ArmCallRecord> Records => records.ToArray();

    public void OnCall(ArmCallRecord record) => records.Enqueue(record);
}
