using System.Management.Automation;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>
/// A wrong value anywhere in the setup line stops the whole line before its first ARM request: PowerShell begins every
/// command before the first record flows, and each cmdlet checks its command-line values there.
/// </summary>
public sealed class WholeLineValidationTests : ConnectedShellTests
{
    private const string Line = """
        Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
          New-AgentManagedIdentity -Name fresh-id |
          New-AgentRoleAssignment |
          New-AgentFederatedCredential -AgentName my-agent
        """;

    public WholeLineValidationTests(EmulatorFixture emulator)
        : base(emulator)
    {
    }

    [Theory]
    // The issue's two lines: a bad agent name or namespace at the end of the line.
    [InlineData("-AgentName my-agent", "-AgentName my_agent", "ServiceAccountNameInvalid")]
    [InlineData("-AgentName my-agent", "-AgentName my-agent -Namespace Bad_NS", "NamespaceInvalid")]
    [InlineData("-AgentName my-agent", "-AgentName my-agent,Agent_B", "ServiceAccountNameInvalid")]
    [InlineData("-AgentName my-agent", "-AgentName my-agent -IssuerUrl http://issuer.example/", "IssuerUrlInvalid")]
    [InlineData("-AgentName my-agent", "-AgentName my-agent -Name x", "FederatedCredentialNameInvalid")]
    [InlineData("-AgentName my-agent", "-AgentName my-agent -Name 'fic/..'", "FederatedCredentialNameInvalid")]
    // Scopes that would smuggle a query, a fragment or an encoded path into the request URL.
    [InlineData("New-AgentRoleAssignment", "New-AgentRoleAssignment -Scope '/subscriptions/" + EmulatorDefaults.SubscriptionId + "/resourceGroups/rg?x=1'", "ScopeInvalid")]
    [InlineData("New-AgentRoleAssignment", "New-AgentRoleAssignment -Scope '/subscriptions/" + EmulatorDefaults.SubscriptionId + "/resourceGroups/rg#x'", "ScopeInvalid")]
    [InlineData("New-AgentRoleAssignment", "New-AgentRoleAssignment -Scope '/subscriptions/" + EmulatorDefaults.SubscriptionId + "/resourceGroups/rg%2Fx'", "ScopeInvalid")]
    [InlineData("New-AgentRoleAssignment", "New-AgentRoleAssignment -Scope '/subscriptions/" + EmulatorDefaults.SubscriptionId + "/resourceGroups/rg/../../other'", "ScopeInvalid")]
    [InlineData("New-AgentRoleAssignment", "New-AgentRoleAssignment -RoleDefinitionName \"Rea`nder\"", "RoleDefinitionNameInvalid")]
    // Names that would make another path, a query or an escape.
    [InlineData("-Name fresh-id", "-Name 'fresh/id'", "IdentityNameInvalid")]
    [InlineData("-Name fresh-id", "-Name '..'", "IdentityNameInvalid")]
    [InlineData("-Name fresh-id", "-Name 'fresh%2Fid'", "IdentityNameInvalid")]
    [InlineData("-Name fresh-id", "-Name 'fresh-id?api-version=1'", "IdentityNameInvalid")]
    [InlineData("-Name fresh-id", "-Name fresh-id -ResourceGroupName 'rg/x'", "ResourceGroupNameInvalid")]
    [InlineData("-Name fresh-id", "-Name fresh-id -ResourceGroupName '..'", "ResourceGroupNameInvalid")]
    [InlineData("-Name fresh-id", "-Name fresh-id -ResourceGroupName 'rg%41'", "ResourceGroupNameInvalid")]
    [InlineData("-Name fresh-id", "-Name fresh-id -Location Mars", "LocationInvalid")]
    [InlineData("-Name fresh-id", "-Name fresh-id -SubscriptionId nope", "SubscriptionIdInvalid")]
    [InlineData("-Name fresh-id", "-Name fresh-id -Tag @{ 'a/b' = 'x' }", "TagInvalid")]
    [InlineData("-ClusterName aks-ready", "-ClusterName 'aks?x=1'", "ClusterNameInvalid")]
    public void A_wrong_value_anywhere_stops_the_line_before_any_ARM_request(string part, string replacement, string errorId)
    {
        Assert.Contains(part, Line);
        int before = emulator.ArmRequests().Count;

        ScriptResult result = shell.Run(Line.Replace(part, replacement));

        ErrorRecord error = result.SingleError(errorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        // What is wrong in the message, the rule in the recommended action (issue 9: never the fix twice).
        Assert.EndsWith("is not valid.", error.ErrorDetails?.Message);
        Assert.Contains(" must be ", error.ErrorDetails?.RecommendedAction);
        Assert.Empty(result.Output);
        Assert.Equal(before, emulator.ArmRequests().Count);
        Assert.Equal(0, emulator.WriteCount());
        Assert.DoesNotContain(emulator.Server.Snapshot().Identities, i => i.Name == "fresh-id");
    }

    [Fact]
    public void The_same_line_with_good_values_does_write()
    {
        ScriptResult result = shell.Run(Line);
        result.AssertNoErrors();
        Assert.Contains(emulator.Server.Snapshot().Identities, i => i.Name == "fresh-id");
    }

    [Fact]
    public void A_value_piped_by_property_name_is_still_checked_per_record()
    {
        ScriptResult result = shell.Run("""
            @"
            ResourceGroupName,ClusterName
            rg-astronetes,aks?x=1
            rg-astronetes,aks-ready
            "@ | ConvertFrom-Csv | Test-AksWorkloadIdentity
            """);
        Assert.StartsWith("ClusterNameInvalid,", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Equal("aks-ready", result.Single<AksWorkloadIdentityStatus>().ClusterName);
        Assert.DoesNotContain(emulator.ArmRequests(), r => r.Path.Contains("aks?", StringComparison.Ordinal) || r.Query.Contains("x=1", StringComparison.Ordinal));
    }
}
