using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ArmEmulator;

// dotnet run --project tests/ArmEmulator -c Release -- [--port N] [--state FILE] [--pem FILE] [--replication-delay SECONDS]
//   [--page-size N] [--fic-write-latency-ms N] [--cluster-operation-seconds N] [--time-scale X]
//   [--fic-propagation-seconds N] [--role-assignment-propagation-seconds N] [--token-lifetime-seconds N] [--identity-limits]
// Durations are Azure's (emulated); --time-scale X runs them X times faster.
// Prints exactly one line: READY {"url","thumbprint","tenantId","subscriptionId"}; stops cleanly (exit 0) on Ctrl+C / SIGTERM.
var options = new EmulatorOptions();
string? pemFile = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--port": options.Port = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--state": options.StateFile = Value(); break;
        case "--pem": pemFile = Value(); break;
        case "--replication-delay":
            options.PrincipalReplicationDelay = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--page-size": options.ListPageSize = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--fic-write-latency-ms":
            options.FederatedCredentialWriteLatency = TimeSpan.FromMilliseconds(int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--cluster-operation-seconds":
            options.Clock.ClusterOperationDuration = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--time-scale": options.Clock.TimeScale = double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--fic-propagation-seconds":
            options.FederatedCredentialPropagationDelay = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--role-assignment-propagation-seconds":
            options.RoleAssignmentPropagationDelay = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)); break;
        case "--identity-limits": options.EnforceIdentityLimits = true; break;
        case "--token-lifetime-seconds":
            options.TokenLifetime = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)); break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: ArmEmulator [--port N] [--state FILE] [--pem FILE] [--replication-delay SECONDS] [--page-size N] [--fic-write-latency-ms N] [--cluster-operation-seconds N] [--time-scale X] [--fic-propagation-seconds N] [--role-assignment-propagation-seconds N] [--token-lifetime-seconds N] [--identity-limits]");
            return 2;
    }
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void OnSignal(PosixSignalContext context) { context.Cancel = true; stop.TrySetResult(); }
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);

await using var server = await EmulatorServer.StartAsync(options);
if (pemFile is not null) await File.WriteAllTextAsync(pemFile, server.CertificatePem);
var ready = new JsonObject
{
    ["url"] = server.BaseUri.ToString(),
    ["thumbprint"] = server.Thumbprint,
    ["tenantId"] = server.TenantId,
    ["subscriptionId"] = server.SubscriptionId,
};
Console.Out.WriteLine("READY " + ready.ToJsonString(ArmJson.Options));
Console.Out.Flush();
await stop.Task;
return 0;
