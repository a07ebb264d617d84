// Loads the built module the way PowerShell 7.4 does on .NET 8, connects to the ARM emulator and makes one ARM call.
//
//   Net8Host <module folder> <ARM url> <certificate thumbprint> <tenant> <subscription> <client id>
//   (the client secret in AWI_CLIENT_SECRET, so it never appears in a process listing)
//
// PowerShell 7.4 itself is not served here, so this program plays its part: the default load context holds the
// runtime's assemblies (System.Text.Json and DiagnosticSource 8.0.0.0 on .NET 8), Import-Module loads the module
// assembly into it with LoadFrom, the module's initializer hooks the loader, and the first cmdlet that names an
// engine type makes the default context resolve the engine through that hook. The cmdlets themselves need
// PowerShell; the engine calls they make (ArmConnection.Create, CreateClient, one GET) are made here directly.
// It prints one JSON line with what ran where; exit code 0 only if the ARM call succeeded.
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text.Json;
using AstronetesWorkloadIdentity.Engine;

if (args.Length != 6)
{
    Console.Error.WriteLine("usage: Net8Host <module folder> <ARM url> <thumbprint> <tenant> <subscription> <client id>");
    return 2;
}

var report = new Dictionary<string, object?>
{
    ["runtime"] = Environment.Version.ToString(),
    ["defaultSystemTextJson"] = typeof(JsonSerializer).Assembly.GetName().Version?.ToString(),
};

try
{
    // Import-Module: the module assembly into the default context, then its IModuleAssemblyInitializer. That class
    // implements a PowerShell interface, so the hook it calls is invoked directly.
    Assembly module = Assembly.LoadFrom(Path.Combine(args[0], "AstronetesWorkloadIdentity.dll"));
    module.GetType("AstronetesWorkloadIdentity.Loading.DependencyResolver", throwOnError: true)!
        .GetMethod("Hook", BindingFlags.NonPublic | BindingFlags.Static)!
        .Invoke(null, null);

    report["engineContext"] = EngineLoadContext();
    report["cluster"] = CallArm(args).GetAwaiter().GetResult();
    report["loaded"] = AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => a.GetName().Name is "System.Text.Json" or "System.Diagnostics.DiagnosticSource" or "System.Memory" or "Azure.Core")
        .Select(a => $"{a.GetName().Name} {a.GetName().Version} in {AssemblyLoadContext.GetLoadContext(a)?.GetType().Name}")
        .Order()
        .ToArray();
    Console.WriteLine(JsonSerializer.Serialize(report));
    return 0;
}
catch (Exception e)
{
    // The type and message say which assembly failed to load; the secret is in no exception the engine throws.
    Exception inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
    report["error"] = inner.GetType().FullName + ": " + inner.Message;
    Console.WriteLine(JsonSerializer.Serialize(report));
    return 1;
}

// Not inlined, and no engine type in the top-level code: the engine must be resolved after the hook is in place, as
// it is in PowerShell, not when the runtime compiles the first method.
[MethodImpl(MethodImplOptions.NoInlining)]
static string? EngineLoadContext() => AssemblyLoadContext.GetLoadContext(typeof(ArmConnection).Assembly)?.GetType().Name;

[MethodImpl(MethodImplOptions.NoInlining)]
static async Task<string> CallArm(string[] args)
{
    var url = new Uri(args[1]);
    var options = new ArmConnectionOptions
    {
        Cloud = AzureCloudEnvironment.Custom(url, url),
        TrustedCertificateThumbprint = args[2],
        TenantId = args[3],
        SubscriptionId = args[4],
        CredentialKind = CredentialKind.ClientSecret,
        ClientId = args[5],
        ClientSecret = Environment.GetEnvironmentVariable("AWI_CLIENT_SECRET"),
        MaxRetries = 0,
    };
    using var connection = ArmConnection.Create(options);
    // The bearer policy asks the emulator's token endpoint for a token, then ARM answers only with that token.
    ManagedCluster cluster = await connection.CreateClient().GetManagedClusterAsync(args[4], "rg-astronetes", "aks-ready", CancellationToken.None);
    return cluster.Id;
}
