using System.Management.Automation;
using System.Text;
using System.Text.RegularExpressions;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>
/// A full run with -Verbose -Debug, through retries and a failure, with every stream captured (output and its properties,
/// errors with their exceptions and inner exceptions, warnings, verbose, debug, information, progress): no client secret,
/// access token, bearer header or client assertion appears in any of them.
/// </summary>
public sealed class SecretsInStreamsTests(EmulatorFixture emulator) : ConnectedShellTests(emulator)
{
    // A JWT (header.payload.signature, base64url): any access token or client assertion.
    private static readonly Regex Jwt = new(@"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.", RegexOptions.CultureInvariant);

    private static string Capture(PowerShell ps, IEnumerable<PSObject> output)
    {
        var text = new StringBuilder();
        foreach (var o in output)
        {
            text.AppendLine(o?.ToString());
            foreach (var p in o?.Properties ?? Enumerable.Empty<PSPropertyInfo>())
            {
                try { text.AppendLine(p.Name + "=" + p.Value); } catch (GetValueException) { }
            }
        }
        foreach (var e in ps.Streams.Error)
        {
            text.AppendLine(e.ToString()).AppendLine(e.ErrorDetails?.Message).AppendLine(e.ErrorDetails?.RecommendedAction)
                .AppendLine(e.Exception.ToString()).AppendLine(e.TargetObject?.ToString()).AppendLine(e.CategoryInfo.ToString());
        }
        foreach (var w in ps.Streams.Warning) text.AppendLine(w.Message);
        foreach (var v in ps.Streams.Verbose) text.AppendLine(v.Message);
        foreach (var d in ps.Streams.Debug) text.AppendLine(d.Message);
        foreach (var i in ps.Streams.Information) text.AppendLine(i.MessageData?.ToString());
        foreach (var p in ps.Streams.Progress) text.AppendLine(p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation);
        return text.ToString();
    }

    [Fact]
    public void AFullRunWithRetriesAndAFailure_PutsNoSecretInAnyStream()
    {
        emulator.Server.AddFaults([
            new FaultRule { Method = "GET", Path = "/managedClusters/", Status = 503, Times = 1 },
            new FaultRule { Method = "PUT", Path = "/roleAssignments/", Status = 400, Code = "PrincipalNotFound", Times = 1 },
            new FaultRule { Method = "PUT", Path = "/federatedIdentityCredentials/", Status = 409, Code = "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity", Times = 1 },
        ]);
        using var ps = shell.CreateShell("""
            New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName my-agent -Verbose -Debug
            Get-AgentAzureContext -Verbose -Debug
            Test-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName my-agent -Verbose -Debug
            # A failure too: a cluster that does not exist.
            New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-missing -AgentName my-agent -Verbose -Debug
            """);
        var output = ps.Invoke();
        var all = Capture(ps, output);

        // The run did what it should, so the capture covers retries and an error, not an early stop.
        Assert.Contains(emulator.Server.Snapshot().Identities, i => i.Name == "astronetes-azure-agent");
        Assert.Contains("not yet replicated", all);
        Assert.Contains("attempt 2", all);
        Assert.NotEmpty(ps.Streams.Error);
        Assert.Contains(ps.Streams.Progress, p => p.Activity == "Waiting for Azure");

        Assert.DoesNotContain(EmulatorDefaults.DeployerClientSecret, all);
        Assert.DoesNotMatch(Jwt, all);
        Assert.DoesNotContain("Bearer ", all);
        Assert.DoesNotContain("client_assertion", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("client_secret", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("access_token", all, StringComparison.OrdinalIgnoreCase);
    }
}
