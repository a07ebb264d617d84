using System.Management.Automation;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>-IssuerUrl against the issuer of the cluster the identity carries.</summary>
public sealed class IssuerUrlTests : ConnectedShellTests
{
    private const string IdentityLine = "Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name astronetes-azure-agent";

    public IssuerUrlTests(EmulatorFixture emulator)
        : base(emulator)
    {
    }

    [Fact]
    public void An_issuer_that_differs_only_by_the_trailing_slash_is_an_error_and_nothing_is_written()
    {
        ScriptResult result = shell.Run("$identity = " + IdentityLine + "\n"
            + "$identity | New-AgentFederatedCredential -AgentName my-agent -IssuerUrl $identity.Cluster.IssuerUrl.TrimEnd('/')");

        Assert.Empty(result.Output);
        ErrorRecord error = result.SingleError("IssuerUrlTrailingSlashMismatch");
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("AADSTS70021", error.ErrorDetails.Message);
        Assert.Contains(EmulatorDefaults.ClusterReadyIssuerId + "/'", error.ErrorDetails.RecommendedAction);
        IdentityState identity = Assert.Single(emulator.Server.Snapshot().Identities, i => i.Name == "astronetes-azure-agent");
        Assert.Empty(identity.FederatedIdentityCredentials);
    }

    [Fact]
    public void Another_issuer_warns_naming_both_and_is_used()
    {
        ScriptResult result = shell.Run("$identity = " + IdentityLine + "\n"
            + "$identity | New-AgentFederatedCredential -AgentName my-agent -IssuerUrl 'https://issuer.example.com/other/'");

        result.AssertNoErrors();
        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Equal("https://issuer.example.com/other/", configuration.IssuerUrl);
        string warning = Assert.Single(result.Warnings);
        Assert.Contains("https://issuer.example.com/other/", warning);
        Assert.Contains(EmulatorDefaults.ClusterReadyIssuerId, warning);
    }

    [Fact]
    public void The_clusters_own_issuer_given_again_is_silent()
    {
        ScriptResult result = shell.Run("$identity = " + IdentityLine + "\n"
            + "$identity | New-AgentFederatedCredential -AgentName my-agent -IssuerUrl $identity.Cluster.IssuerUrl");

        result.AssertNoErrors();
        Assert.Empty(result.Warnings);
        Assert.Equal("Created", result.Single<AgentConfiguration>().FederatedCredentialAction);
    }
}
