using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Tests.Engine;

public class DeterministicNameTests
{
    private const string Scope = "/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a";
    private const string Principal = "44444444-4444-4444-4444-444444444444";

    [Fact]
    public void UuidV5MatchesTheRfc4122ReferenceValue()
    {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") in Python's standard library.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), DeterministicNames.UuidV5(dns, "python.org"));
    }

    [Fact]
    public void RoleAssignmentNameIsStableAcrossCaseAndIdForm()
    {
        var name = AgentSetupWorkflow.RoleAssignmentName(Scope, BuiltInRoleReader, Principal);

        Assert.True(Guid.TryParseExact(name, "D", out var guid));
        Assert.Equal('5', name[14]); // version nibble
        Assert.Equal(name, AgentSetupWorkflow.RoleAssignmentName(Scope.ToUpperInvariant() + "/", BuiltInRoleReader.ToUpperInvariant(), Principal.ToUpperInvariant()));
        Assert.Equal(name, AgentSetupWorkflow.RoleAssignmentName(Scope, Scope + "/providers/Microsoft.Authorization/roleDefinitions/" + BuiltInRoleReader, Principal));
        Assert.NotEqual(name, AgentSetupWorkflow.RoleAssignmentName(Scope + "/resourceGroups/rg", BuiltInRoleReader, Principal));
        Assert.NotEqual(name, AgentSetupWorkflow.RoleAssignmentName(Scope, "b24988ac-6180-42a0-ab88-20f7382dd24c", Principal));
    }

    private const string BuiltInRoleReader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

    [Fact]
    public void LongDefaultFederatedCredentialNamesAreTruncatedWithAHashAndFitThePattern()
    {
        var cluster = new string('c', 63);
        var a = AgentSetupWorkflow.DefaultFederatedCredentialName(cluster, "ns", new string('s', 100) + "a");
        var b = AgentSetupWorkflow.DefaultFederatedCredentialName(cluster, "ns", new string('s', 100) + "b");

        Assert.Equal(120, a.Length);
        Assert.NotEqual(a, b);
        InputValidator.FederatedCredentialName(a);
        InputValidator.FederatedCredentialName(b);
    }

    [Theory]
    [InlineData("aks-ready", "resiliency-system", "my-agent", "aks-ready-resiliency-system-my-agent")]
    [InlineData("aks_1", "ns", "agent.v2", "aks_1-ns-agent-v2")]
    [InlineData("a", "b", "c", "a-b-c")]
    public void DefaultFederatedCredentialNameJoinsClusterNamespaceAndServiceAccount(string cluster, string ns, string serviceAccount, string expected)
        => Assert.Equal(expected, AgentSetupWorkflow.DefaultFederatedCredentialName(cluster, ns, serviceAccount));

    [Fact]
    public void SameAgentNameInTwoNamespacesGetsTwoDefaultNames()
    {
        var system = AgentSetupWorkflow.DefaultFederatedCredentialName("aks-ready", "resiliency-system", "my-agent");
        var edge = AgentSetupWorkflow.DefaultFederatedCredentialName("aks-ready", "resiliency-edge", "my-agent");

        Assert.NotEqual(system, edge);
    }

    [Fact]
    public void LongThreePartNamesAreTruncatedWithAHashAndFitThePattern()
    {
        var cluster = new string('c', 63);
        var a = AgentSetupWorkflow.DefaultFederatedCredentialName(cluster, new string('n', 63), "agent-a");
        var b = AgentSetupWorkflow.DefaultFederatedCredentialName(cluster, new string('n', 63), "agent-b");
        var c = AgentSetupWorkflow.DefaultFederatedCredentialName(cluster, new string('n', 62) + "m", "agent-a");

        Assert.Equal(120, a.Length);
        Assert.Equal(3, new[] { a, b, c }.Distinct().Count());
        InputValidator.FederatedCredentialName(a);
        InputValidator.FederatedCredentialName(b);
        InputValidator.FederatedCredentialName(c);
    }

    [Fact]
    public void ThreePartDefaultNameRejectsAnInvalidNamespace()
    {
        var ex = Assert.Throws<InputValidationException>(() => AgentSetupWorkflow.DefaultFederatedCredentialName("aks", "Resiliency", "agent"));
        Assert.Equal("Namespace", ex.ParamName);
    }

    [Fact]
    public void DefaultFederatedCredentialNameRejectsInvalidParts()
    {
        var ex = Assert.Throws<InputValidationException>(() => AgentSetupWorkflow.DefaultFederatedCredentialName("aks", "ns", "Agent"));
        Assert.Equal("ServiceAccountName", ex.ParamName);
    }
}
