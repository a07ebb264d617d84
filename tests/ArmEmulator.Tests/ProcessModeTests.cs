using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class ProcessModeTests
{
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
    private const int SIGTERM = 15;

    private static string EmulatorDll()
    {
        var dll = typeof(EmulatorServer).Assembly.Location;
        Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), "ArmEmulator.runtimeconfig.json next to " + dll);
        return dll;
    }

    [Fact]
    public async Task Exe_PrintsOneReadyLine_Serves_WritesPem_AndExitsZeroOnSigterm()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // POSIX signals only
        var pem = Path.GetTempFileName();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { EmulatorDll(), "--port", "0", "--pem", pem, "--replication-delay", "5", "--fic-write-latency-ms", "20",
                     "--cluster-operation-seconds", "0", "--time-scale", "2" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        try
        {
            var readLine = process.StandardOutput.ReadLineAsync();
            var line = await readLine.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(line);
            Assert.StartsWith("READY {", line);
            var ready = JsonNode.Parse(line["READY ".Length..])!;
            var url = new Uri(ready["url"]!.GetValue<string>());
            var thumbprint = ready["thumbprint"]!.GetValue<string>();
            Assert.Matches("^https://127\\.0\\.0\\.1:[0-9]+/$", url.ToString());
            Assert.Matches("^[0-9A-F]{40}$", thumbprint);
            Assert.Equal(EmulatorDefaults.TenantId, ready["tenantId"]!.GetValue<string>());
            Assert.Equal(EmulatorDefaults.SubscriptionId, ready["subscriptionId"]!.GetValue<string>());

            var pemText = await File.ReadAllTextAsync(pem);
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", pemText);
            using var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pemText);
            Assert.Equal(thumbprint, cert.Thumbprint);

            using var http = PinnedClient.Create(thumbprint, url);
            var token = await http.PostAsync($"/{EmulatorDefaults.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = EmulatorDefaults.DeployerClientId,
                ["client_secret"] = EmulatorDefaults.DeployerClientSecret, ["scope"] = "https://management.azure.com//.default",
            }));
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            // --cluster-operation-seconds 0: a cluster update has finished by the first poll (the default takes 30 s).
            var accessToken = JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
            var update = await http.PutAsync($"/subscriptions/{EmulatorDefaults.SubscriptionId}/resourceGroups/{EmulatorDefaults.ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{EmulatorDefaults.ClusterReady}?api-version=2025-10-01",
                new StringContent("{\"location\":\"westeurope\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
            var operation = await http.GetAsync(update.Headers.GetValues("Azure-AsyncOperation").Single());
            Assert.Equal("Succeeded", JsonNode.Parse(await operation.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
            http.DefaultRequestHeaders.Authorization = null;
            var state = await http.GetAsync("/_emulator/state");
            Assert.Equal(HttpStatusCode.OK, state.StatusCode);

            // A client that does not pin the certificate must fail: checking is real.
            using var untrusting = new HttpClient { BaseAddress = url };
            await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("/_emulator/state"));

            Assert.Equal(0, Kill(process.Id, SIGTERM));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
            var rest = await process.StandardOutput.ReadToEndAsync();
            Assert.True(string.IsNullOrWhiteSpace(rest), "only one line on stdout, got more: " + rest);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            File.Delete(pem);
        }
    }
}
