using ArmEmulator;

using Xunit;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>One in-process ARM emulator per test class; each test starts from the default state.</summary>
public sealed class CmdletEmulator : IAsyncLifetime
{
    private EmulatorServer? server;

    public EmulatorServer Server => server ?? throw new InvalidOperationException("The emulator is not started.");

    public async Task InitializeAsync() => server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server != null) await server.DisposeAsync();
    }

    public int WriteCount() => Server.Requests.Count(r => r.Method is "PUT" or "PATCH" or "DELETE");

    public int ArmRequestCount() => Server.Requests.Count(r => r.Path.StartsWith("/subscriptions", StringComparison.OrdinalIgnoreCase)
        || r.Path.StartsWith("/providers", StringComparison.OrdinalIgnoreCase));
}
