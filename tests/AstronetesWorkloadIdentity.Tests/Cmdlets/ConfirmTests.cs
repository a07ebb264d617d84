using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>The one-line setup under -Confirm, answered by a scripted user: only questions that can come true are asked.</summary>
public sealed class ConfirmTests : IClassFixture<EmulatorFixture>
{
    internal const string ConfirmedChain = """
        Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
          New-AgentManagedIdentity -Name astronetes-azure-agent -Confirm |
          New-AgentRoleAssignment -Confirm |
          New-AgentFederatedCredential -AgentName my-agent -Confirm
        """;

    private readonly EmulatorFixture emulator;

    public ConfirmTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Server.Reset();
    }

    [Fact]
    public void Declining_the_identity_asks_nothing_about_what_needs_it_and_still_names_the_tenant()
    {
        var host = new ScriptedHost(_ => false);
        using ModuleRunspace shell = ModuleRunspace.Open(host);
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);

        ScriptResult result = shell.Run("$VerbosePreference = 'Continue'\n" + ConfirmedChain);

        result.AssertNoErrors();
        string prompt = Assert.Single(host.Prompts);
        Assert.Contains("userAssignedIdentities/astronetes-azure-agent", prompt);
        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Equal(("Skipped", "Skipped", "Skipped"), (configuration.IdentityAction, configuration.RoleAssignmentAction, configuration.FederatedCredentialAction));
        Assert.Equal(EmulatorDefaults.TenantId, configuration.TenantId);
        Assert.Empty(result.Warnings);
        Assert.Contains(result.Verbose, line => line.StartsWith("Assigning role 'Reader'", StringComparison.Ordinal) && line.Contains("skipped"));
        Assert.Contains(result.Verbose, line => line.StartsWith("Federated credential ", StringComparison.Ordinal) && line.Contains("skipped"));
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public void WhatIf_still_previews_the_steps_after_a_skipped_identity()
    {
        var host = new ScriptedHost(_ => throw new InvalidOperationException("-WhatIf must not prompt"));
        using ModuleRunspace shell = ModuleRunspace.Open(host);
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);

        ScriptResult result = shell.Run(ConfirmedChain.Replace("-Confirm", "-WhatIf"));

        result.AssertNoErrors();
        Assert.Empty(host.Prompts);
        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Equal(EmulatorDefaults.TenantId, configuration.TenantId);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public void Declining_only_the_role_assignment_warns_that_the_identity_has_no_role_yet()
    {
        var host = new ScriptedHost(message => !message.Contains("roleAssignments", StringComparison.OrdinalIgnoreCase));
        using ModuleRunspace shell = ModuleRunspace.Open(host);
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);

        ScriptResult result = shell.Run(ConfirmedChain);

        result.AssertNoErrors();
        Assert.Equal(3, host.Prompts.Count);
        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Equal(("Created", "Skipped", "Created"), (configuration.IdentityAction, configuration.RoleAssignmentAction, configuration.FederatedCredentialAction));
        string warning = Assert.Single(result.Warnings);
        Assert.Contains("no role assignment", warning);
        Assert.Contains("'Reader'", warning);
        Assert.Contains("astronetes-azure-agent", warning);
    }
}
