using System.Management.Automation;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>An emulator whose tenant holds a second subscription besides the default one.</summary>
public sealed class TwoSubscriptionEmulatorFixture : EmulatorFixture
{
    public const string SecondSubscriptionId = "5d2e3f40-9a8b-4c7d-8e6f-112233445566";
    public const string SecondSubscriptionName = "Astronetes Staging";

    protected override EmulatorOptions CreateEmulatorOptions()
    {
        EmulatorState state = DefaultState.Create();
        state.Subscriptions.Add(new SubscriptionState { SubscriptionId = SecondSubscriptionId, DisplayName = SecondSubscriptionName });
        return new EmulatorOptions { State = state };
    }
}

/// <summary>
/// Connecting with nothing that names a subscription (no -SubscriptionId, no AZURE_SUBSCRIPTION_ID, no Azure CLI
/// default): the only subscription the credential sees is used, several are listed.
/// </summary>
[Collection(EnvironmentVariableCollection.Name)]
public sealed class SubscriptionDiscoveryTests : IClassFixture<EmulatorFixture>, IClassFixture<TwoSubscriptionEmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture single;
    private readonly TwoSubscriptionEmulatorFixture two;
    private readonly EnvironmentScope environment;
    private readonly string emptyCliDir = Path.Combine(Path.GetTempPath(), "awi-no-cli-" + Guid.NewGuid().ToString("N"));

    public SubscriptionDiscoveryTests(EmulatorFixture single, TwoSubscriptionEmulatorFixture two)
    {
        this.single = single;
        this.two = two;
        single.Reset();
        two.Reset();
        Directory.CreateDirectory(emptyCliDir);
        environment = new EnvironmentScope().Set("AZURE_SUBSCRIPTION_ID", null).Set("AZURE_CONFIG_DIR", emptyCliDir);
    }

    public void Dispose()
    {
        environment.Dispose();
        Directory.Delete(emptyCliDir, recursive: true);
    }

    private static ScriptResult ConnectWithoutSubscription(ModuleRunspace shell, EmulatorFixture emulator)
    {
        shell.Set("emu", emulator.Server);
        shell.Set("clientId", EmulatorDefaults.DeployerClientId);
        shell.Set("clientSecret", EmulatorDefaults.DeployerClientSecret);
        return shell.Run("""
            $credential = [pscredential]::new($clientId, (ConvertTo-SecureString $clientSecret -AsPlainText -Force))
            Connect-AgentAzure -ArmEndpoint $emu.BaseUri -AuthorityHost $emu.BaseUri -TrustedCertificateThumbprint $emu.Thumbprint `
                -TenantId $emu.TenantId -ServicePrincipal -Credential $credential -Verbose
            """);
    }

    [Fact]
    public void The_only_subscription_the_credential_sees_becomes_the_default_and_verbose_says_so()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();

        ScriptResult connected = ConnectWithoutSubscription(shell, single);

        connected.AssertNoErrors();
        Assert.Empty(connected.Warnings);
        Assert.Equal(EmulatorDefaults.SubscriptionId, connected.Single<AgentAzureContext>().SubscriptionId);
        Assert.Contains(connected.Verbose, v => v.Contains(EmulatorDefaults.SubscriptionId) && v.Contains("the only subscription the credential can see"));
        Assert.Contains(single.Server.Requests, r => r.Method == "GET" && r.Path.TrimEnd('/').Equals("/subscriptions", StringComparison.OrdinalIgnoreCase));

        ScriptResult tested = shell.Run("Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready");
        tested.AssertNoErrors();
        Assert.Single(tested.Output);
    }

    [Fact]
    public void Several_visible_subscriptions_are_listed_by_id_and_name_and_none_is_chosen()
    {
        using ModuleRunspace shell = ModuleRunspace.Open();

        ScriptResult connected = ConnectWithoutSubscription(shell, two);

        connected.AssertNoErrors();
        string warning = Assert.Single(connected.Warnings);
        Assert.Contains(EmulatorDefaults.SubscriptionId + " (" + EmulatorDefaults.SubscriptionDisplayName + ")", warning);
        Assert.Contains(TwoSubscriptionEmulatorFixture.SecondSubscriptionId + " (" + TwoSubscriptionEmulatorFixture.SecondSubscriptionName + ")", warning);
        Assert.Null(connected.Single<AgentAzureContext>().SubscriptionId);

        int before = two.Server.Requests.Count(r => r.Path.Contains("managedClusters", StringComparison.OrdinalIgnoreCase));
        ScriptResult tested = shell.Run("Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready");
        ErrorRecord error = tested.SingleError("SubscriptionIdMissing");
        Assert.Contains(EmulatorDefaults.SubscriptionId + " (" + EmulatorDefaults.SubscriptionDisplayName + ")", error.ErrorDetails.Message);
        Assert.Contains(TwoSubscriptionEmulatorFixture.SecondSubscriptionId + " (" + TwoSubscriptionEmulatorFixture.SecondSubscriptionName + ")", error.ErrorDetails.Message);
        Assert.Contains("-SubscriptionId", error.ErrorDetails.RecommendedAction);
        Assert.Equal(before, two.Server.Requests.Count(r => r.Path.Contains("managedClusters", StringComparison.OrdinalIgnoreCase)));
    }
}
