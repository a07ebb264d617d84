using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>The connection belongs to a runspace: hosts run several side by side in one process.</summary>
public sealed class SessionTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture emulator;

    public SessionTests(EmulatorFixture emulator) => this.emulator = emulator;

    [Fact]
    public void Connect_returns_a_context_without_secrets_and_stays_in_its_runspace()
    {
        using ModuleRunspace connected = ModuleRunspace.Open();
        using ModuleRunspace other = ModuleRunspace.Open();

        AgentAzureContext context = connected.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
        Assert.Equal("Custom", context.Environment);
        Assert.Equal(EmulatorDefaults.SubscriptionId, context.SubscriptionId);
        Assert.Equal("ClientSecret", context.CredentialType);
        Assert.Equal(EmulatorDefaults.DeployerClientId, context.ClientId);
        Assert.False(context.IsDefault);

        ScriptResult json = connected.Run("Get-AgentAzureContext | ConvertTo-Json");
        json.AssertNoErrors();
        Assert.DoesNotContain(EmulatorDefaults.DeployerClientSecret, Assert.IsType<string>(Assert.Single(json.Output)));

        ScriptResult elsewhere = other.Run("Get-AgentAzureContext");
        elsewhere.AssertNoErrors();
        AgentAzureContext defaults = elsewhere.Single<AgentAzureContext>();
        Assert.Equal("AzureCloud", defaults.Environment);
        Assert.True(defaults.IsDefault);

        ScriptResult disconnected = connected.Run("Disconnect-AgentAzure -PassThru; Get-AgentAzureContext");
        disconnected.AssertNoErrors();
        Assert.Equal("Custom", Assert.IsType<AgentAzureContext>(disconnected.Output[0]).Environment);
        Assert.Equal("AzureCloud", Assert.IsType<AgentAzureContext>(disconnected.Output[1]).Environment);
    }

    [Fact]
    public void Connect_rejects_a_cloud_and_a_custom_endpoint_together()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        ScriptResult result = shell.Run("Connect-AgentAzure -Environment AzureChinaCloud -ArmEndpoint https://127.0.0.1:1/ -AuthorityHost https://127.0.0.1:1/");
        Assert.StartsWith("EnvironmentInvalid,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Connect_to_a_sovereign_cloud_needs_no_network()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        ScriptResult result = shell.Run("Connect-AgentAzure -Environment AzureUSGovernment -SubscriptionId 00000000-0000-0000-0000-000000000001");
        result.AssertNoErrors();
        AgentAzureContext context = result.Single<AgentAzureContext>();
        Assert.Equal("AzureUSGovernment", context.Environment);
        Assert.Equal("https://management.usgovcloudapi.net/", context.ArmEndpoint);
        Assert.Equal("00000000-0000-0000-0000-000000000001", context.SubscriptionId);
        Assert.Equal("Default", context.CredentialType);
    }

    [Fact]
    public void Connect_names_ArmEndpoint_when_it_is_not_https()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        ScriptResult result = shell.Run("Connect-AgentAzure -ArmEndpoint http://127.0.0.1:1/ -AuthorityHost https://127.0.0.1:1/");
        System.Management.Automation.ErrorRecord error = result.SingleError("ArmEndpointInvalid");
        Assert.StartsWith("-ArmEndpoint must be", error.ErrorDetails.RecommendedAction);
        Assert.StartsWith("ArmEndpoint ", error.ErrorDetails.Message);
        Assert.DoesNotContain("ResourceManagerEndpoint", error.ErrorDetails.Message + error.ErrorDetails.RecommendedAction);
    }

    [Theory]
    [InlineData("-ArmEndpoint https://127.0.0.1:1/", "AuthorityHost", "ArmEndpoint")]
    [InlineData("-AuthorityHost https://127.0.0.1:1/", "ArmEndpoint", "AuthorityHost")]
    public void Connect_says_the_other_custom_endpoint_is_required(string given, string missing, string present)
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        ScriptResult result = shell.Run("Connect-AgentAzure " + given);
        System.Management.Automation.ErrorRecord error = result.SingleError(missing + "Missing");
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.StartsWith("-" + missing + " is required with -" + present, error.ErrorDetails.Message);
        Assert.DoesNotContain("not valid", error.ErrorDetails.Message);
    }

    [Fact]
    public void A_wrong_pinned_thumbprint_is_a_SecurityError_at_connect_that_says_what_to_pin_and_keeps_the_old_connection()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
        shell.Set("emu", emulator.Server);
        ScriptResult result = shell.Run("""
            $credential = [pscredential]::new('%ID%', (ConvertTo-SecureString '%SECRET%' -AsPlainText -Force))
            Connect-AgentAzure -ArmEndpoint $emu.BaseUri -AuthorityHost $emu.BaseUri -TrustedCertificateThumbprint ('A' * 40) `
                -TenantId $emu.TenantId -SubscriptionId $emu.SubscriptionId -ServicePrincipal -Credential $credential | Out-Null
            """.Replace("%ID%", EmulatorDefaults.DeployerClientId).Replace("%SECRET%", EmulatorDefaults.DeployerClientSecret));

        System.Management.Automation.ErrorRecord error = result.SingleError("ServerCertificateUntrusted");
        Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("(while getting a token)", error.ErrorDetails.Message);
        Assert.Contains("the previous connection, if any, is still in use", error.ErrorDetails.Message);
        Assert.Contains("-TrustedCertificateThumbprint", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("network path", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain(EmulatorDefaults.DeployerClientSecret, error.ErrorDetails.Message);

        // The working connection from before is still the session's.
        shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready").AssertNoErrors();
    }

    [Fact]
    public void Connect_signs_in_so_a_wrong_secret_fails_there_and_the_first_command_needs_no_token_request()
    {
        emulator.Reset();
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Set("emu", emulator.Server);
        ScriptResult wrong = shell.Run("""
            $credential = [pscredential]::new('%ID%', (ConvertTo-SecureString 'not-the-secret' -AsPlainText -Force))
            Connect-AgentAzure -ArmEndpoint $emu.BaseUri -AuthorityHost $emu.BaseUri -TrustedCertificateThumbprint $emu.Thumbprint `
                -TenantId $emu.TenantId -SubscriptionId $emu.SubscriptionId -ServicePrincipal -Credential $credential
            """.Replace("%ID%", EmulatorDefaults.DeployerClientId));
        Assert.Contains("AADSTS", wrong.SingleError("AzureAuthenticationFailed").ErrorDetails.Message);
        Assert.Empty(wrong.Output);
        Assert.Empty(emulator.ArmRequests());

        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
        int tokensAtConnect = emulator.Server.Requests.Count(r => r.Path.EndsWith("/token", StringComparison.Ordinal) && r.Status == 200);
        shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready").AssertNoErrors();

        Assert.Equal(1, tokensAtConnect);
        Assert.Equal(1, emulator.Server.Requests.Count(r => r.Path.EndsWith("/token", StringComparison.Ordinal) && r.Status == 200));
    }
}
