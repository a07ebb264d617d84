using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Tests.Infrastructure;

/// <summary>
/// One in-process ARM + Entra ID emulator per test class (IClassFixture), reset to the default state by
/// <see cref="Reset"/>. Connections go through the same credential classes and certificate pinning users get.
/// </summary>
public class EmulatorFixture : IAsyncLifetime
{
    private EmulatorServer? server;

    public EmulatorServer Server => server ?? throw new InvalidOperationException("The emulator is not started.");

    /// <summary>The emulator as a custom cloud: ARM endpoint and authority host are both its base URI.</summary>
    public AzureCloudEnvironment Cloud => AzureCloudEnvironment.Custom(Server.BaseUri, Server.BaseUri);

    public string SubscriptionId => EmulatorDefaults.SubscriptionId;
    public string ResourceGroup => EmulatorDefaults.ResourceGroup;

    /// <summary>Override to start the emulator differently (e.g. a small ListPageSize).</summary>
    protected virtual EmulatorOptions CreateEmulatorOptions() => new();

    public async Task InitializeAsync() => server = await EmulatorServer.StartAsync(CreateEmulatorOptions());

    public async Task DisposeAsync()
    {
        if (server != null) await server.DisposeAsync();
    }

    /// <summary>Default state, empty request log, no faults.</summary>
    public void Reset() => Server.Reset();

    /// <summary>Options for the Owner service principal (client secret), the emulator pinned, fast retries.</summary>
    public ArmConnectionOptions DeployerOptions() => new()
    {
        Cloud = Cloud,
        TenantId = EmulatorDefaults.TenantId,
        SubscriptionId = EmulatorDefaults.SubscriptionId,
        CredentialKind = CredentialKind.ClientSecret,
        ClientId = EmulatorDefaults.DeployerClientId,
        ClientSecret = EmulatorDefaults.DeployerClientSecret,
        TrustedCertificateThumbprint = Server.Thumbprint,
        MaxRetries = 3,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromSeconds(10),
        NetworkTimeout = TimeSpan.FromSeconds(30),
    };

    public ArmConnection CreateDeployerConnection(Action<ArmConnectionOptions>? configure = null)
    {
        var options = DeployerOptions();
        configure?.Invoke(options);
        return ArmConnection.Create(options);
    }

    /// <summary>Requests to ARM only (token requests excluded).</summary>
    public IReadOnlyList<RequestLogEntry> ArmRequests() => Server.Requests
        .Where(r => r.Path.StartsWith("/subscriptions", StringComparison.OrdinalIgnoreCase) || r.Path.StartsWith("/providers", StringComparison.OrdinalIgnoreCase))
        .ToList();

    public int WriteCount() => Server.Requests.Count(r => r.Method is "PUT" or "PATCH" or "DELETE");
}

/// <summary>An emulator that pages lists two items at a time, to exercise nextLink.</summary>
public sealed class SmallPageEmulatorFixture : EmulatorFixture
{
    protected override EmulatorOptions CreateEmulatorOptions() => new() { ListPageSize = 2 };
}
