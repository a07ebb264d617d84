using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>Test-AgentWorkloadIdentity -Exchange as a user runs it, after the one-line setup, against the emulator.</summary>
public sealed class ExchangeCmdletTests : ConnectedShellTests
{
    private const string Target = "-ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName my-agent";
    private static readonly string[] ExchangeCheckNames =
        ["ClusterCredentials", "ApiServer", "ServiceAccount", "ServiceAccountToken", "TokenExchange", "ArmAsAgent", "ServiceAccountAnnotation", "AgentPods"];

    public ExchangeCmdletTests(EmulatorFixture emulator)
        : base(emulator)
    {
    }

    private IReadOnlyList<AgentWorkloadIdentityCheck> ExchangeResults(ScriptResult result) =>
        result.Output.Cast<AgentWorkloadIdentityCheck>().Where(c => ExchangeCheckNames.Contains(c.Check)).ToList();

    private static void AssertNoTokenAnywhere(ScriptResult result)
    {
        var everything = result.Output.Cast<AgentWorkloadIdentityCheck>().SelectMany(c => new[] { c.Detail, c.Fix ?? "" })
            .Concat(result.Verbose).Concat(result.Warnings).Concat(result.Information).Concat(result.Errors.Select(e => e.ToString()));
        Assert.All(everything, line => Assert.DoesNotContain("eyJ", line));
    }

    [Fact]
    public void After_the_one_line_setup_the_exchange_passes_and_no_pod_yet_is_a_warning()
    {
        shell.Run("New-AgentWorkloadIdentity " + Target).AssertNoErrors();

        ScriptResult result = shell.Run("Test-AgentWorkloadIdentity " + Target + " -Exchange -CreateServiceAccount -Verbose");

        result.AssertNoErrors();
        var exchange = ExchangeResults(result);
        Assert.Equal(ExchangeCheckNames, exchange.Select(c => c.Check));
        Assert.All(exchange.Where(c => c.Check != "AgentPods"), c => Assert.Equal(CheckResult.Pass, c.Result));
        Assert.Equal(CheckResult.Warn, exchange.Single(c => c.Check == "AgentPods").Result);
        var identity = Assert.Single(emulator.Server.Snapshot().Identities);
        var sa = Assert.Single(emulator.Server.Snapshot().Clusters.Single(c => c.Name == "aks-ready").Kubernetes.ServiceAccounts);
        Assert.Equal(identity.ClientId, sa.Annotations["azure.workload.identity/client-id"]);
        Assert.Contains("sub=system:serviceaccount:resiliency-system:my-agent", exchange.Single(c => c.Check == "ServiceAccountToken").Detail);
        AssertNoTokenAnywhere(result);
    }

    [Fact]
    public void A_missing_service_account_is_the_agent_not_deployed_yet_and_WhatIf_creates_nothing()
    {
        shell.Run("New-AgentWorkloadIdentity " + Target).AssertNoErrors();

        ScriptResult result = shell.Run("Test-AgentWorkloadIdentity " + Target + " -Exchange -CreateServiceAccount -WhatIf");

        result.AssertNoErrors();
        var failed = Assert.Single(ExchangeResults(result), c => c.Result == CheckResult.Fail);
        Assert.Equal("ServiceAccount", failed.Check);
        Assert.Contains("the agent has not been deployed yet", failed.Detail);
        Assert.Contains("-CreateServiceAccount", failed.Fix);
        Assert.Empty(emulator.Server.Snapshot().Clusters.Single(c => c.Name == "aks-ready").Kubernetes.ServiceAccounts);
    }

    [Fact]
    public void A_credential_on_another_subject_fails_the_exchange_with_its_AADSTS_code()
    {
        shell.Run("New-AgentWorkloadIdentity " + Target).AssertNoErrors();
        // The agent runs as another service account than the credential names: the exchange is refused by subject.
        shell.Run("New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName other-agent").AssertNoErrors();
        shell.Run("Remove-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName other-agent -KeepIdentity -Confirm:$false").AssertNoErrors();

        ScriptResult result = shell.Run("Test-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName other-agent -Exchange -CreateServiceAccount");

        var exchange = ExchangeResults(result);
        var failed = Assert.Single(exchange, c => c.Result == CheckResult.Fail && c.Check == "TokenExchange");
        Assert.Contains("AADSTS700213", failed.Detail);
        Assert.Contains("system:serviceaccount:resiliency-system:other-agent", failed.Fix);
        AssertNoTokenAnywhere(result);
    }

    [Fact]
    public void Exchange_parameters_without_Exchange_are_refused_before_any_call()
    {
        ScriptResult result = shell.Run("Test-AgentWorkloadIdentity " + Target + " -Admin");

        Assert.Contains(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("ExchangeParameterWithoutExchange", StringComparison.Ordinal));
        Assert.Empty(emulator.ArmRequests());
    }
}
