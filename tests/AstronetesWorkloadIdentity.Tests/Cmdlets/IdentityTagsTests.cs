using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>An identity that exists with other tags is adopted and reported; its tags change only with -Force, its other tags kept.</summary>
public sealed class IdentityTagsTests(EmulatorFixture emulator) : ConnectedShellTests(emulator)
{
    private IdentityState Identity() => Assert.Single(emulator.Server.Snapshot().Identities, i => i.Name == "tagged-agent");

    [Fact]
    public void AnIdentityWithOtherTags_IsReportedAndLeftAlone_AndForceSetsOursKeepingTheirs()
    {
        shell.Run("New-AgentManagedIdentity -Name tagged-agent -ResourceGroupName rg-astronetes -Tag @{ team = 'platform'; owner = 'someone' }").AssertNoErrors();
        var writes = emulator.WriteCount();

        var adopted = shell.Run("New-AgentManagedIdentity -Name tagged-agent -ResourceGroupName rg-astronetes -Tag @{ team = 'resiliency' }");
        adopted.AssertNoErrors();
        var warning = Assert.Single(adopted.Warnings);
        Assert.Contains("team: 'platform' instead of 'resiliency'", warning);
        Assert.Contains("-Force", warning);
        Assert.Equal(writes, emulator.WriteCount());
        Assert.Equal("platform", Identity().Tags!["team"]);

        var forced = shell.Run("New-AgentManagedIdentity -Name tagged-agent -ResourceGroupName rg-astronetes -Tag @{ team = 'resiliency' } -Force");
        forced.AssertNoErrors();
        Assert.Empty(forced.Warnings);
        Assert.Equal(writes + 1, emulator.WriteCount());
        Assert.Equal("resiliency", Identity().Tags!["team"]);
        Assert.Equal("someone", Identity().Tags!["owner"]);

        // Once they match there is nothing to report or write, -Force or not.
        var again = shell.Run("New-AgentManagedIdentity -Name tagged-agent -ResourceGroupName rg-astronetes -Tag @{ team = 'resiliency' } -Force");
        Assert.Empty(again.Warnings);
        Assert.Equal(writes + 1, emulator.WriteCount());
    }
}
