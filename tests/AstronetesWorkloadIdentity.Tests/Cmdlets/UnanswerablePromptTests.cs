using System.Management.Automation;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>-Confirm where no one can answer (a hosted runspace without a user interface): a clear error and no write.</summary>
public sealed class UnanswerablePromptTests : IClassFixture<EmulatorFixture>
{
    private const string ConfirmedChain = ConfirmTests.ConfirmedChain;

    private readonly EmulatorFixture emulator;

    public UnanswerablePromptTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Server.Reset();
    }

    public static TheoryData<string> Hosts => new() { "default host (no UI)", "host whose UI is null" };

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Confirm_where_no_one_can_answer_says_so_and_how_to_proceed_and_writes_nothing(string hostKind)
    {
        using ModuleRunspace shell = ModuleRunspace.Open(hostKind == "host whose UI is null" ? ScriptedHost.WithoutUserInterface() : null);
        shell.Connect(emulator, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret);

        ScriptResult result = shell.Run(ConfirmedChain);

        ErrorRecord error = result.SingleError("ConfirmationPromptUnavailable");
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("cannot prompt", error.ErrorDetails.Message);
        Assert.Contains("userAssignedIdentities/astronetes-azure-agent", error.ErrorDetails.Message);
        Assert.DoesNotContain("Object reference", error.ErrorDetails.Message);
        Assert.IsNotType<AstronetesWorkloadIdentity.Errors.ArmOperationException>(error.Exception);
        Assert.Contains("-Confirm:$false", error.ErrorDetails.RecommendedAction);
        Assert.Empty(result.Output);
        Assert.Equal(0, emulator.WriteCount());
    }
}
