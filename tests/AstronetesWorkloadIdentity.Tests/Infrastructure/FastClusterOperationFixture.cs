using ArmEmulator;

namespace AstronetesWorkloadIdentity.Tests.Infrastructure;

/// <summary>An emulator whose cluster updates run for one real second, so an update is still running when first polled.</summary>
public sealed class FastClusterOperationFixture : EmulatorFixture
{
    public static readonly TimeSpan OperationDuration = TimeSpan.FromSeconds(1);

    protected override EmulatorOptions CreateEmulatorOptions() => new() { Clock = new EmulatorClock { ClusterOperationDuration = OperationDuration } };
}
