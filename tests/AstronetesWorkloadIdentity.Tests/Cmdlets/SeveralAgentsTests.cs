using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>-AgentName with several names: one federated credential and one configuration per agent, under one identity.</summary>
public sealed class SeveralAgentsTests : ConnectedShellTests
{
    private const string Line = """
        Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
          New-AgentManagedIdentity -Name astronetes-azure-agent |
          New-AgentRoleAssignment |
          New-AgentFederatedCredential -AgentName agent-b,agent-a
        """;

    public SeveralAgentsTests(EmulatorFixture emulator)
        : base(emulator)
    {
    }

    [Fact]
    public void Each_agent_gets_its_credential_and_configuration_in_the_order_given()
    {
        ScriptResult result = shell.Run(Line);

        result.AssertNoErrors();
        AgentConfiguration[] configurations = result.Output.Cast<AgentConfiguration>().ToArray();
        Assert.Equal(new[] { "agent-b", "agent-a" }, configurations.Select(c => c.ServiceAccountName));
        Assert.Equal(new[] { "system:serviceaccount:resiliency-system:agent-b", "system:serviceaccount:resiliency-system:agent-a" }, configurations.Select(c => c.Subject));
        Assert.All(configurations, c => Assert.Equal("Created", c.FederatedCredentialAction));
        Assert.Single(configurations.Select(c => c.ClientId).Distinct());
        Assert.Equal(2, configurations.Select(c => c.FederatedCredentialName).Distinct().Count());

        IdentityState identity = Assert.Single(emulator.Server.Snapshot().Identities, i => i.Name == "astronetes-azure-agent");
        Assert.Equal(
            new[] { "system:serviceaccount:resiliency-system:agent-a", "system:serviceaccount:resiliency-system:agent-b" },
            identity.FederatedIdentityCredentials.Select(f => f.Subject).OrderBy(s => s, StringComparer.Ordinal));

        // Written one after another, in the order given (ARM answers 409 to concurrent writes under one identity).
        string[] writes = emulator.Server.Requests
            .Where(r => r.Method == "PUT" && r.Path.Contains("/federatedIdentityCredentials/", StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Path.Substring(r.Path.LastIndexOf('/') + 1))
            .ToArray();
        Assert.Equal(configurations.Select(c => c.FederatedCredentialName), writes, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(emulator.Server.Requests, r => r.Status == 409);

        int writesBefore = emulator.WriteCount();
        ScriptResult again = shell.Run(Line);
        again.AssertNoErrors();
        Assert.Equal(writesBefore, emulator.WriteCount());
        Assert.All(again.Output.Cast<AgentConfiguration>(), c => Assert.Equal("Existing", c.FederatedCredentialAction));
    }

    [Fact]
    public void One_credential_name_for_several_agents_is_refused_before_any_request()
    {
        int before = emulator.ArmRequests().Count;

        ScriptResult result = shell.Run(Line.Replace("agent-b,agent-a", "agent-b,agent-a -Name shared-fic"));

        var error = result.SingleError("FederatedCredentialNameWithSeveralAgents");
        Assert.Contains("agent-b, agent-a", error.ErrorDetails.Message);
        Assert.Contains("-Name", error.ErrorDetails.RecommendedAction);
        Assert.Empty(result.Output);
        Assert.Equal(before, emulator.ArmRequests().Count);
    }
}
