using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AstronetesWorkloadIdentity.Commands;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>A runspace with the module imported from its built assembly, as a user's session would have it.</summary>
public sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace runspace;

    private ModuleRunspace(Runspace runspace) => this.runspace = runspace;

    /// <param name="host">A host that answers prompts (-Confirm), or null for none.</param>
    public static ModuleRunspace Open(System.Management.Automation.Host.PSHost? host = null)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(TestAksWorkloadIdentityCommand).Assembly.Location);
        state.Formats.Add(new SessionStateFormatEntry(FormatFile()));
        var runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        return new ModuleRunspace(runspace);
    }

    public void Set(string name, object? value) => runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>A shell on this runspace for tests that drive the invocation themselves (e.g. stop it).</summary>
    public PowerShell CreateShell(string script)
    {
        var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        return shell;
    }

    public ScriptResult Run(string script)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        Collection<PSObject> output = shell.Invoke();
        foreach (ErrorRecord error in shell.Streams.Error) ErrorAdvice.AssertNotRepeated(error);
        return new ScriptResult(
            output.Select(o => o?.BaseObject).ToList(),
            shell.Streams.Error.ToList(),
            shell.Streams.Verbose.Select(v => v.Message).ToList(),
            shell.Streams.Warning.Select(w => w.Message).ToList(),
            shell.Streams.Information.Select(i => i.MessageData?.ToString() ?? "").ToList());
    }

    /// <summary>Connects this runspace to the emulator as the given service principal.</summary>
    public AgentAzureContext Connect(EmulatorFixture emulator, string clientId, string secret)
    {
        Set("emu", emulator.Server);
        Set("clientId", clientId);
        Set("clientSecret", secret);
        ScriptResult result = Run("""
            $credential = [pscredential]::new($clientId, (ConvertTo-SecureString $clientSecret -AsPlainText -Force))
            Connect-AgentAzure -ArmEndpoint $emu.BaseUri -AuthorityHost $emu.BaseUri -TrustedCertificateThumbprint $emu.Thumbprint `
                -TenantId $emu.TenantId -SubscriptionId $emu.SubscriptionId -ServicePrincipal -Credential $credential
            """);
        result.AssertNoErrors();
        return Assert.IsType<AgentAzureContext>(Assert.Single(result.Output));
    }

    public void Dispose() => runspace.Dispose();

    private static string FormatFile()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "module", "AstronetesWorkloadIdentity.Format.ps1xml");
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException("module/AstronetesWorkloadIdentity.Format.ps1xml not found above " + AppContext.BaseDirectory);
    }
}

public sealed record ScriptResult(
    IReadOnlyList<object?> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Information)
{
    public void AssertNoErrors()
    {
        if (Errors.Count > 0)
        {
            Assert.Fail("Unexpected errors:\n" + string.Join("\n", Errors.Select(e => e.FullyQualifiedErrorId + ": " + (e.ErrorDetails?.Message ?? e.Exception.Message))));
        }
    }

    public T Single<T>() => Assert.IsType<T>(Assert.Single(Output));

    public ErrorRecord SingleError(string errorId)
    {
        ErrorRecord error = Assert.Single(Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        return error;
    }
}
