using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>
/// A fresh emulator state and a hosted runspace connected to it as one of the emulator's service principals
/// (the deployer, an Owner, unless a test class needs another), for tests that run cmdlets as a user would.
/// </summary>
public abstract class ConnectedShellTests : IClassFixture<EmulatorFixture>, IDisposable
{
    protected readonly EmulatorFixture emulator;
    protected readonly ModuleRunspace shell;

    protected ConnectedShellTests(EmulatorFixture emulator, string clientId = EmulatorDefaults.DeployerClientId, string clientSecret = EmulatorDefaults.DeployerClientSecret)
    {
        this.emulator = emulator;
        emulator.Server.Reset();
        shell = ModuleRunspace.Open();
        shell.Connect(emulator, clientId, clientSecret);
    }

    public void Dispose()
    {
        shell.Dispose();
        GC.SuppressFinalize(this);
    }
}
