using System.Text.Json;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Tests.Engine;

public class ModelParsingTests
{
    private const string ClusterId = "/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourcegroups/rg-x/providers/Microsoft.ContainerService/managedClusters/aks-1";

    // Shaped like a real 2025-10-01 GET: many fields the engine ignores, some of unexpected types.
    private const string FullClusterBody = """
    {
      "id": "/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourcegroups/rg-x/providers/Microsoft.ContainerService/managedClusters/aks-1",
      "location": "westeurope", "name": "aks-1", "type": "Microsoft.ContainerService/ManagedClusters",
      "tags": {"env": "prod"},
      "sku": {"name": "Base", "tier": "Free"},
      "identity": {"type": "SystemAssigned", "principalId": "11111111-1111-1111-1111-111111111111", "tenantId": "22222222-2222-2222-2222-222222222222"},
      "properties": {
        "provisioningState": "Succeeded",
        "powerState": {"code": "Running"},
        "kubernetesVersion": "1.33.2", "currentKubernetesVersion": "1.33.2",
        "dnsPrefix": "aks-1-dns", "fqdn": "aks-1-dns-abc.hcp.westeurope.azmk8s.io",
        "agentPoolProfiles": [{"name": "nodepool1", "count": 3, "vmSize": "Standard_D4ds_v5", "maxPods": 110, "nodeLabels": {}, "upgradeSettings": {"maxSurge": "10%"}}],
        "servicePrincipalProfile": {"clientId": "msi"},
        "nodeResourceGroup": "MC_rg-x_aks-1_westeurope",
        "enableRBAC": true,
        "networkProfile": {"networkPlugin": "azure", "loadBalancerSku": "standard", "podCidrs": ["10.244.0.0/16"], "ipFamilies": ["IPv4"]},
        "oidcIssuerProfile": {"enabled": true, "issuerURL": "https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/33333333-3333-3333-3333-333333333333/"},
        "securityProfile": {"imageCleaner": {"enabled": false}, "workloadIdentity": {"enabled": true}},
        "storageProfile": {"diskCSIDriver": {"enabled": true}},
        "maxAgentPools": 100,
        "someFutureField": [1, "two", {"three": null}]
      }
    }
    """;

    private static T Parse<T>(string json, Func<JsonElement, string, T> parse, string requestedId = ClusterId)
    {
        using var doc = JsonDocument.Parse(json);
        return parse(doc.RootElement, requestedId);
    }

    [Fact]
    public void FullClusterBodyIsParsedWithIssuerExactlyAsSent()
    {
        var cluster = Parse(FullClusterBody, ArmModelParser.ManagedCluster);

        Assert.Equal(ClusterId, cluster.Id);
        Assert.Equal("aks-1", cluster.Name);
        Assert.Equal("westeurope", cluster.Location);
        Assert.Equal("9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a", cluster.SubscriptionId);
        Assert.Equal("rg-x", cluster.ResourceGroupName);
        Assert.Equal("Succeeded", cluster.ProvisioningState);
        Assert.True(cluster.OidcIssuerEnabled);
        Assert.True(cluster.WorkloadIdentityEnabled);
        Assert.Equal("https://westeurope.oic.prod-aks.azure.com/22222222-2222-2222-2222-222222222222/33333333-3333-3333-3333-333333333333/", cluster.IssuerUrl);
    }

    [Fact]
    public void MissingProfilesMeanDisabled()
    {
        var cluster = Parse("""{"id":"x","name":"aks-1","location":"westeurope","properties":{"provisioningState":"Succeeded"}}""", ArmModelParser.ManagedCluster);

        Assert.False(cluster.OidcIssuerEnabled);
        Assert.False(cluster.WorkloadIdentityEnabled);
        Assert.Null(cluster.IssuerUrl);
    }

    [Fact]
    public void DisabledProfilesWithoutIssuerAreDisabled()
    {
        var cluster = Parse("""{"name":"aks-1","properties":{"oidcIssuerProfile":{"enabled":false},"securityProfile":{"workloadIdentity":{"enabled":false}}}}""", ArmModelParser.ManagedCluster);

        Assert.False(cluster.OidcIssuerEnabled);
        Assert.False(cluster.WorkloadIdentityEnabled);
        Assert.Equal(ClusterId, cluster.Id); // falls back to the ID that was asked for
    }

    [Fact]
    public void RecordedOffShapesAreDisabled()
    {
        // As real AKS writes a cluster with both features off (recorded, azure-cli acs tests): issuer {"enabled": false}
        // without issuerURL, workload identity an empty securityProfile, type with a capital M.
        var cluster = Parse("""{"name":"aks-1","type":"Microsoft.ContainerService/ManagedClusters","properties":{"provisioningState":"Updating","oidcIssuerProfile":{"enabled":false},"securityProfile":{}}}""", ArmModelParser.ManagedCluster);

        Assert.False(cluster.OidcIssuerEnabled);
        Assert.Null(cluster.IssuerUrl);
        Assert.False(cluster.WorkloadIdentityEnabled);
        Assert.Equal("Updating", cluster.ProvisioningState);
    }

    [Fact]
    public void IdentityBodyWithLowerCaseResourceGroupsIsParsed()
    {
        const string body = """
        {"id":"/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourcegroups/rg-x/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agent",
         "name":"agent","location":"westeurope","tags":{"owner":"team-a"},"type":"Microsoft.ManagedIdentity/userAssignedIdentities",
         "properties":{"isolationScope":"None","tenantId":"22222222-2222-2222-2222-222222222222","principalId":"44444444-4444-4444-4444-444444444444","clientId":"55555555-5555-5555-5555-555555555555"}}
        """;
        var identity = Parse(body, ArmModelParser.Identity);

        Assert.Equal("agent", identity.Name);
        Assert.Equal("rg-x", identity.ResourceGroupName);
        Assert.Equal("9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a", identity.SubscriptionId);
        Assert.Equal("team-a", identity.Tags["owner"]);
        Assert.Equal("55555555-5555-5555-5555-555555555555", identity.ClientId);
        Assert.Equal("44444444-4444-4444-4444-444444444444", identity.PrincipalId);
        Assert.Equal("22222222-2222-2222-2222-222222222222", identity.TenantId);
    }

    [Fact]
    public void FederatedCredentialBodyIsParsed()
    {
        const string body = """
        {"id":"/subscriptions/s/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/agent/federatedIdentityCredentials/fic-1","name":"fic-1",
         "properties":{"issuer":"https://issuer.example/abc/","subject":"system:serviceaccount:resiliency-system:agent","audiences":["api://AzureADTokenExchange"]}}
        """;
        var fic = Parse(body, ArmModelParser.FederatedCredential);

        Assert.Equal("fic-1", fic.Name);
        Assert.Equal("https://issuer.example/abc/", fic.Issuer);
        Assert.Equal("system:serviceaccount:resiliency-system:agent", fic.Subject);
        Assert.Equal(new[] { "api://AzureADTokenExchange" }, fic.Audiences);
    }

    [Fact]
    public void RoleAssignmentBodyIsParsedAndScopeFallsBackToTheId()
    {
        const string withScope = """
        {"id":"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/r1","name":"r1",
         "properties":{"roleDefinitionId":"/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
         "principalId":"p1","principalType":"ServicePrincipal","scope":"/subscriptions/s1","createdOn":"2025-01-01T00:00:00Z","condition":null}}
        """;
        var assignment = Parse(withScope, ArmModelParser.RoleAssignment);
        Assert.Equal("/subscriptions/s1", assignment.Scope);
        Assert.Equal("p1", assignment.PrincipalId);
        Assert.Equal("ServicePrincipal", assignment.PrincipalType);
        Assert.EndsWith("acdd72a7-3385-48ef-bd42-f606fba81ae7", assignment.RoleDefinitionId);

        var withoutScope = Parse("""{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/r2","properties":{}}""", ArmModelParser.RoleAssignment);
        Assert.Equal("/subscriptions/s1/resourceGroups/rg", withoutScope.Scope);
        Assert.Equal("r2", withoutScope.Name);
    }

    [Fact]
    public void RoleDefinitionBodyIsParsed()
    {
        var definition = Parse("""
        {"id":"/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7","name":"acdd72a7-3385-48ef-bd42-f606fba81ae7",
         "properties":{"roleName":"Reader","type":"BuiltInRole","permissions":[{"actions":["*/read"]}],"assignableScopes":["/"]}}
        """, ArmModelParser.RoleDefinition);

        Assert.Equal("Reader", definition.RoleName);
        Assert.Equal("BuiltInRole", definition.RoleType);
        Assert.Equal("acdd72a7-3385-48ef-bd42-f606fba81ae7", definition.Name);
    }

    [Fact]
    public void JwtExpiryIsReadAndNonJwtFallsBack()
    {
        var payload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("""{"exp":1900000000}""")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1900000000), StaticTokenCredential.ReadExpiry("eyJhbGciOiJub25lIn0." + payload + ".sig"));
        Assert.Null(StaticTokenCredential.ReadExpiry("not-a-jwt"));
    }
}
