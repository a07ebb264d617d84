using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>
/// -WhatIf on one step previews that step and every later step fed its previewed output: each prints its own
/// "What if:" line naming the previewed identity, and nothing is written. Earlier steps run as usual.
/// </summary>
public sealed class WhatIfPreviewTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string IdentityId = "/subscriptions/" + EmulatorDefaults.SubscriptionId
        + "/resourcegroups/rg-astronetes/providers/Microsoft.ManagedIdentity/userAssignedIdentities/astronetes-azure-agent";

    private readonly EmulatorFixture emulator;
    private readonly ScriptedHost host = new();
    private readonly ModuleRunspace shell;

    public WhatIfPreviewTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Server.Reset();
        shell = ModuleRunspace.Open(host);
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);
    }

    public void Dispose() => shell.Dispose();

    [Fact]
    public void WhatIf_on_the_identity_alone_previews_the_role_and_the_credential_too()
    {
        ScriptResult result = shell.Run(OneLineSetup.Chain.Replace("-Name astronetes-azure-agent", "-Name astronetes-azure-agent -WhatIf"));

        result.AssertNoErrors();
        IReadOnlyList<string> whatIf = host.WhatIfLines;
        Assert.Equal(3, whatIf.Count);
        Assert.Contains("userAssignedIdentities/astronetes-azure-agent", whatIf[0]);
        Assert.Contains("Assign role 'Reader'", whatIf[1]);
        Assert.Contains(IdentityId, whatIf[1]);
        Assert.Contains("federated credential", whatIf[2]);
        Assert.Contains(IdentityId, whatIf[2]);
        Assert.Contains("system:serviceaccount:resiliency-system:my-agent", whatIf[2]);

        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Equal(("Skipped", "Skipped", "Skipped"), (configuration.IdentityAction, configuration.RoleAssignmentAction, configuration.FederatedCredentialAction));
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public void WhatIf_on_the_role_assignment_creates_the_identity_and_previews_the_credential()
    {
        ScriptResult result = shell.Run(OneLineSetup.Chain.Replace("New-AgentRoleAssignment", "New-AgentRoleAssignment -WhatIf"));

        result.AssertNoErrors();
        IReadOnlyList<string> whatIf = host.WhatIfLines;
        Assert.Equal(2, whatIf.Count);
        Assert.Contains("roleAssignments", whatIf[0]);
        Assert.Contains("federatedIdentityCredentials", whatIf[1]);
        Assert.Contains(IdentityId, whatIf[1], StringComparison.OrdinalIgnoreCase);

        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Equal(("Created", "Skipped", "Skipped"), (configuration.IdentityAction, configuration.RoleAssignmentAction, configuration.FederatedCredentialAction));
        IdentityState identity = Assert.Single(emulator.Server.Snapshot().Identities, i => i.Name == "astronetes-azure-agent");
        Assert.Empty(identity.FederatedIdentityCredentials);
        Assert.DoesNotContain(emulator.Server.Snapshot().RoleAssignments, a => a.PrincipalId == identity.PrincipalId);
        Assert.Equal(1, emulator.WriteCount());
    }

    [Fact]
    public void WhatIf_on_an_identity_that_exists_still_previews_the_rest_of_the_line()
    {
        shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name astronetes-azure-agent").AssertNoErrors();
        int writesBefore = emulator.WriteCount();

        ScriptResult result = shell.Run(OneLineSetup.Chain.Replace("-Name astronetes-azure-agent", "-Name astronetes-azure-agent -WhatIf"));

        result.AssertNoErrors();
        IReadOnlyList<string> whatIf = host.WhatIfLines;
        Assert.Equal(2, whatIf.Count);
        Assert.Contains("roleAssignments", whatIf[0]);
        Assert.Contains(IdentityId, whatIf[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("federatedIdentityCredentials", whatIf[1]);
        Assert.Contains(IdentityId, whatIf[1], StringComparison.OrdinalIgnoreCase);
        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Equal(("Existing", "Skipped", "Skipped"), (configuration.IdentityAction, configuration.RoleAssignmentAction, configuration.FederatedCredentialAction));
        Assert.Equal(writesBefore, emulator.WriteCount());
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_line_without_WhatIf_prints_no_preview()
    {
        shell.Run(OneLineSetup.Chain).AssertNoErrors();
        Assert.Empty(host.WhatIfLines);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" -Location westeurope")]
    public void Under_WhatIf_a_missing_resource_group_says_the_step_would_fail(string location)
    {
        ScriptResult result = shell.Run("New-AgentManagedIdentity -Name astronetes-azure-agent -ResourceGroupName rg-missing -WhatIf" + location);

        var error = result.SingleError("ResourceGroupNotFound");
        string message = error.ErrorDetails.Message;
        Assert.StartsWith("Creating managed identity 'astronetes-azure-agent' would fail (-WhatIf: nothing was written): ResourceGroupNotFound", message);
        Assert.DoesNotContain(" failed", message);
        Assert.Equal(0, emulator.WriteCount());

        ScriptResult real = shell.Run("New-AgentManagedIdentity -Name astronetes-azure-agent -ResourceGroupName rg-missing" + location);
        Assert.StartsWith("Creating managed identity 'astronetes-azure-agent' failed: ResourceGroupNotFound", real.SingleError("ResourceGroupNotFound").ErrorDetails.Message);
    }
}
