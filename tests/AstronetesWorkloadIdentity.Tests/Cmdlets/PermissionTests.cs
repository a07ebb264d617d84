using System.Management.Automation;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>A Contributor cannot write role assignments: the chain must say so, keep the identity, and finish once granted.</summary>
public sealed class PermissionTests : ConnectedShellTests
{
    private const string Chain = OneLineSetup.Chain;

    public PermissionTests(EmulatorFixture emulator)
        : base(emulator, EmulatorDefaults.ContributorClientId, EmulatorDefaults.ContributorClientSecret)
    {
    }

    [Fact]
    public void Contributor_gets_a_clear_error_on_the_assignment_then_a_grant_and_rerun_completes()
    {
        ScriptResult denied = shell.Run(Chain);

        Assert.Empty(denied.Output);
        ErrorRecord error = denied.SingleError("RoleAssignmentAuthorizationFailed");
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("Microsoft.Authorization/roleAssignments/write", error.ErrorDetails.RecommendedAction);
        Assert.Contains("User Access Administrator", error.ErrorDetails.RecommendedAction);
        Assert.Contains("astronetes-azure-agent", error.ErrorDetails.Message);
        Assert.Contains("reuses", error.ErrorDetails.Message);
        Assert.Contains("(created) is kept", error.ErrorDetails.Message);
        Assert.Single(emulator.Server.Snapshot().Identities, i => i.Name == "astronetes-azure-agent");

        emulator.Server.GrantRole(EmulatorDefaults.ContributorObjectId, "Owner", "/subscriptions/" + EmulatorDefaults.SubscriptionId);
        ScriptResult rerun = shell.Run(Chain);

        rerun.AssertNoErrors();
        AgentConfiguration configuration = rerun.Single<AgentConfiguration>();
        Assert.Equal("Existing", configuration.IdentityAction);
        Assert.Equal("Created", configuration.RoleAssignmentAction);
        Assert.Equal("Created", configuration.FederatedCredentialAction);
        Assert.Single(emulator.Server.Snapshot().Identities, i => i.Name == "astronetes-azure-agent");
    }

    [Fact]
    public void An_identity_from_an_earlier_command_is_named_as_kept_when_the_assignment_is_denied()
    {
        ScriptResult created = shell.Run("$identity = Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name astronetes-azure-agent");
        created.AssertNoErrors();

        ScriptResult denied = shell.Run("$identity | New-AgentRoleAssignment");

        ErrorRecord error = denied.SingleError("RoleAssignmentAuthorizationFailed");
        Assert.Contains("'/subscriptions/" + EmulatorDefaults.SubscriptionId + "/resourcegroups/rg-astronetes/providers/Microsoft.ManagedIdentity/userAssignedIdentities/astronetes-azure-agent' (created) is kept", error.ErrorDetails.Message);
        Assert.Contains("reuses", error.ErrorDetails.Message);
    }
}
