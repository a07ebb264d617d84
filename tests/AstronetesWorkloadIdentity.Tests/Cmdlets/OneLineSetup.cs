namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>The one-line setup, exactly as the README gives it.</summary>
internal static class OneLineSetup
{
    public const string Chain = """
        Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
          New-AgentManagedIdentity -Name astronetes-azure-agent |
          New-AgentRoleAssignment |
          New-AgentFederatedCredential -AgentName my-agent
        """;
}
