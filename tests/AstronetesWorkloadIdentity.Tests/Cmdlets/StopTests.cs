using System.Diagnostics;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>Ctrl+C must end a command waiting on a slow ARM call at once, not when the call gives up.</summary>
public sealed class StopTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture emulator;

    public StopTests(EmulatorFixture emulator) => this.emulator = emulator;

    [Fact]
    public async Task Stop_cancels_a_slow_ARM_call_promptly()
    {
        emulator.Reset();
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
        emulator.Server.AddFaults(new[] { new FaultRule { Path = "managedClusters/aks-ready$", DelayMs = 60_000 } });
        try
        {
            using var powershell = shell.CreateShell("Test-AksWorkloadIdentity rg-astronetes aks-ready");
            var running = powershell.BeginInvoke();
            await Task.Delay(1_000);
            Assert.False(running.IsCompleted);

            var clock = Stopwatch.StartNew();
            await Task.Factory.FromAsync(powershell.BeginStop(null, null), powershell.EndStop);
            // The bound only has to sit well under the 60 s the call would otherwise wait: a loaded CI machine is slow, not stuck.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "Stopping took " + clock.Elapsed);
            Assert.Equal(System.Management.Automation.PSInvocationState.Stopped, powershell.InvocationStateInfo.State);
        }
        finally
        {
            emulator.Server.ClearFaults();
        }
    }
}
