using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArmEmulator;

/// <summary>
/// A running emulator of Azure Resource Manager + the Entra ID token endpoint on https://127.0.0.1:PORT/.
/// One request pipeline (see <see cref="BuildPipeline"/>): admin branch | log → faults →
/// token/discovery endpoints | ARM throttling → api-version → authentication → authorization + route.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly EmulatorRuntime runtime;
    private int disposed;

    private EmulatorServer(WebApplication app, EmulatorRuntime runtime, X509Certificate2 certificate)
    {
        this.app = app;
        this.runtime = runtime;
        Certificate = certificate;
    }

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmulatorOptions();
        // Task.Delay reads -1 ms as "forever": a negative latency is a mistake, not a hang.
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FederatedCredentialWriteLatency, TimeSpan.Zero, nameof(options.FederatedCredentialWriteLatency));
        var state = options.State?.DeepCopy()
                    ?? (options.StateFile is not null ? EmulatorState.FromJson(await File.ReadAllTextAsync(options.StateFile, ct)) : DefaultState.Create());
        ApiVersions.ValidateOverride(state);
        options.Clock.Validate();
        var runtime = new EmulatorRuntime(options, state);
        var certificate = SelfSignedCertificate.Create();
        runtime.ServerCertificate = certificate;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        // The host must not react to Ctrl+C/SIGTERM itself: in-process servers share the test host; Program handles signals.
        builder.Services.AddSingleton<IHostLifetime, ManualHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port, o => o.UseHttps(certificate));
        });
        var app = builder.Build();
        var server = new EmulatorServer(app, runtime, certificate);
        server.BuildPipeline();
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            certificate.Dispose();
            throw;
        }
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        runtime.BaseUri = new Uri($"https://127.0.0.1:{new Uri(address).Port}/");
        return server;
    }

    private void BuildPipeline()
    {
        app.Use(async (context, next) =>
        {
            if (AdminEndpoints.IsAdminPath(context.Request.Path)) await AdminEndpoints.HandleAsync(context, this);
            else await next(context);
        });
        app.Use((context, next) => RequestLoggingStage.InvokeAsync(context, next, runtime));
        app.Use((context, next) => FaultInjectionStage.InvokeAsync(context, next, runtime));
        app.Use(async (context, next) =>
        {
            if (await TokenEndpoint.TryHandleAsync(context, runtime)) return;
            if (await OidcEndpoints.TryHandleAsync(context, runtime)) return;
            if (await KubernetesApi.TryHandleAsync(context, runtime)) return;
            await next(context);
        });
        // ARM's token buckets: every ARM answer (errors included) carries the remaining-quota headers; an empty bucket answers 429.
        app.Use(async (context, next) =>
        {
            if (await runtime.Throttling.TryAdmitAsync(context, runtime)) await next(context);
        });
        app.Use((context, next) => ArmStages.ApiVersionAsync(context, next, runtime));
        app.Use((context, next) => ArmStages.AuthenticationAsync(context, next, runtime));
        app.Run(context => ArmStages.DispatchAsync(context, runtime));
    }

    /// <summary>https://127.0.0.1:PORT/ - the ARM endpoint and the authority host.</summary>
    public Uri BaseUri => runtime.BaseUri;
    /// <summary>SHA-1 thumbprint of the certificate, upper-case hex (as X509Certificate2.Thumbprint).</summary>
    public string Thumbprint => Certificate.Thumbprint;
    public X509Certificate2 Certificate { get; }
    public string TenantId => runtime.Store.Read(s => s.TenantId);
    public string SubscriptionId => runtime.Store.Read(s => s.Subscriptions.FirstOrDefault()?.SubscriptionId ?? "");
    /// <summary>Snapshot of the request log, in arrival order.</summary>
    public IReadOnlyList<RequestLogEntry> Requests => runtime.Log.Snapshot();

    internal EmulatorRuntime Runtime => runtime;

    /// <summary>Back to the loaded state; log cleared; faults removed.</summary>
    public void Reset()
    {
        runtime.Store.Reset();
        runtime.Clock.Reset();
        runtime.Operations.Clear();
        runtime.Throttling.Clear();
        runtime.IdentityLimits.Clear();
        runtime.Log.Clear();
        runtime.Faults.Clear();
    }

    public void AddFaults(IEnumerable<FaultRule> rules) => runtime.Faults.Add(rules);
    public void ClearFaults() => runtime.Faults.Clear();
    public EmulatorState Snapshot() => runtime.Store.Snapshot();

    /// <summary>Adds a role assignment directly (test helper). <paramref name="roleName"/> is a role name (e.g. "Owner") or definition GUID.</summary>
    public void GrantRole(string principalObjectId, string roleName, string scope) => runtime.GrantRole(principalObjectId, roleName, scope);

    /// <summary>The next cluster create or update runs its time, then ends Failed with this error (admin API: fail-next-cluster-operation).</summary>
    public void FailNextClusterOperation(string code, string message)
    {
        lock (runtime.Store.Gate) runtime.Operations.FailNext(code, message);
    }

    /// <summary>Moves the clock every party shares forward (tokens expire without waiting).</summary>
    public void AdvanceClock(TimeSpan by) => runtime.Clock.Advance(by);

    /// <summary>Adds a pod to a cluster as the API server would after admission (the webhook's mutation included).</summary>
    public void AddPod(string clusterName, string ns, string name, string serviceAccount, IDictionary<string, string>? labels = null) =>
        KubernetesApi.AddPod(runtime, clusterName, ns, name, serviceAccount, labels is null ? null : new Dictionary<string, string>(labels));

    /// <summary>Deletes and re-creates a cluster under the same name (admin API): returns its new issuer URL ("" when the issuer is off).</summary>
    public string RecreateCluster(string resourceGroup, string name, string? subscriptionId = null)
    {
        var cluster = runtime.RecreateCluster(subscriptionId ?? SubscriptionId, resourceGroup, name);
        return cluster.OidcIssuerEnabled ? runtime.IssuerUrl(cluster) : "";
    }

    /// <summary>The certificate as PEM (for clients that trust a CA file).</summary>
    public string CertificatePem => SelfSignedCertificate.ToPem(Certificate);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        try { await app.StopAsync(TimeSpan.FromSeconds(5)); } catch (OperationCanceledException) { }
        await app.DisposeAsync();
        Certificate.Dispose();
    }

    private sealed class ManualHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
