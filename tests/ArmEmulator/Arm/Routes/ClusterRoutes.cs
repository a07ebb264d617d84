using System.Text.Json.Nodes;

namespace ArmEmulator;

/// <summary>Microsoft.ContainerService/managedClusters (read-only for now; the LRO PUT is on the roadmap).</summary>
internal static class ClusterRoutes
{
    private const string Type = "Microsoft.ContainerService/managedClusters";

    public static ArmRoute List(string method, string[] s, string sub, string rg) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.ManagedClusters) : new()
    {
        ResourceType = ApiVersions.ManagedClusters,
        Segments = s,
        SubscriptionId = sub,
        ResourceGroup = rg,
        Action = Type + "/read",
        AuthScope = $"/subscriptions/{sub}/resourceGroups/{rg}",
        Handler = call =>
        {
            call.RequireResourceGroup();
            return new ArmResponse(200, Paging.Page(call, call.State.Clusters
                .Where(c => StateStore.Eq(c.SubscriptionId, sub) && StateStore.Eq(c.ResourceGroup, rg))
                .Select(c => (JsonNode)Json(c, call.Runtime)).ToList()));
        },
    };

    /// <summary>GET /subscriptions/{sub}/providers/Microsoft.ContainerService/managedClusters: every group's clusters.</summary>
    public static ArmRoute ListInSubscription(string method, string[] s, string sub) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.ManagedClusters) : new()
    {
        ResourceType = ApiVersions.ManagedClusters,
        Segments = s,
        SubscriptionId = sub,
        Action = Type + "/read",
        AuthScope = "/subscriptions/" + sub,
        Handler = call => new ArmResponse(200, Paging.Page(call, call.State.Clusters
            .Where(c => StateStore.Eq(c.SubscriptionId, sub))
            .Select(c => (JsonNode)Json(c, call.Runtime)).ToList())),
    };

    public static ArmRoute Item(string method, string[] s, string sub, string rg, string name) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.ManagedClusters) : new()
    {
        ResourceType = ApiVersions.ManagedClusters,
        Segments = s,
        SubscriptionId = sub,
        ResourceGroup = rg,
        Action = Type + "/read",
        AuthScope = $"/subscriptions/{sub}/resourceGroups/{rg}/providers/{Type}/{name}",
        Handler = call =>
        {
            call.RequireResourceGroup();
            var cluster = call.Store.Cluster(sub, rg, name) ?? throw ArmErrors.ResourceNotFound(Type, name, rg);
            return new ArmResponse(200, Json(cluster, call.Runtime));
        },
    };

    /// <summary>
    /// A full cluster body as the service returns it (fields per docs/design/arm-contract.md / the managedClusters REST spec).
    /// OIDC off: enabled=false and no issuerURL. Wire casing is exactly "issuerURL".
    /// </summary>
    public static JsonObject Json(ClusterState c, EmulatorRuntime runtime)
    {
        var tenant = runtime.Store.Current.TenantId;
        var dnsPrefix = c.Name + "-dns";
        var oidc = new JsonObject { ["enabled"] = c.OidcIssuerEnabled };
        if (c.OidcIssuerEnabled) oidc["issuerURL"] = runtime.IssuerUrl(c);
        var nodeRg = $"MC_{c.ResourceGroup}_{c.Name}_{c.Location}";
        return new JsonObject
        {
            ["id"] = $"/subscriptions/{c.SubscriptionId}/resourcegroups/{c.ResourceGroup}/providers/{Type}/{c.Name}",
            ["location"] = c.Location,
            ["name"] = c.Name,
            ["type"] = Type,
            ["properties"] = new JsonObject
            {
                ["provisioningState"] = c.ProvisioningState,
                ["powerState"] = new JsonObject { ["code"] = "Running" },
                ["kubernetesVersion"] = c.KubernetesVersion,
                ["currentKubernetesVersion"] = c.KubernetesVersion,
                ["dnsPrefix"] = dnsPrefix,
                ["fqdn"] = $"{dnsPrefix}-{c.OidcIssuerId[..8]}.hcp.{c.Location}.azmk8s.io",
                ["azurePortalFQDN"] = $"{dnsPrefix}-{c.OidcIssuerId[..8]}.portal.hcp.{c.Location}.azmk8s.io",
                ["agentPoolProfiles"] = new JsonArray(new JsonObject
                {
                    ["name"] = "nodepool1",
                    ["count"] = 3,
                    ["vmSize"] = "Standard_DS2_v2",
                    ["osDiskSizeGB"] = 128,
                    ["osDiskType"] = "Managed",
                    ["maxPods"] = 110,
                    ["type"] = "VirtualMachineScaleSets",
                    ["provisioningState"] = "Succeeded",
                    ["powerState"] = new JsonObject { ["code"] = "Running" },
                    ["orchestratorVersion"] = c.KubernetesVersion,
                    ["mode"] = "System",
                    ["osType"] = "Linux",
                    ["osSKU"] = "Ubuntu",
                }),
                ["servicePrincipalProfile"] = new JsonObject { ["clientId"] = "msi" },
                ["nodeResourceGroup"] = nodeRg,
                ["enableRBAC"] = true,
                ["networkProfile"] = new JsonObject
                {
                    ["networkPlugin"] = "azure", ["networkPolicy"] = "none", ["serviceCidr"] = "10.0.0.0/16",
                    ["dnsServiceIP"] = "10.0.0.10", ["outboundType"] = "loadBalancer", ["loadBalancerSku"] = "standard",
                },
                ["identityProfile"] = new JsonObject
                {
                    ["kubeletidentity"] = new JsonObject
                    {
                        ["resourceId"] = $"/subscriptions/{c.SubscriptionId}/resourcegroups/{nodeRg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{c.Name}-agentpool",
                        ["clientId"] = DeterministicGuid(c.PrincipalId, "kubelet-client"),
                        ["objectId"] = DeterministicGuid(c.PrincipalId, "kubelet-object"),
                    },
                },
                ["oidcIssuerProfile"] = oidc,
                ["securityProfile"] = new JsonObject
                {
                    ["workloadIdentity"] = new JsonObject { ["enabled"] = c.WorkloadIdentityEnabled },
                },
                ["maxAgentPools"] = 100,
                ["supportPlan"] = "KubernetesOfficial",
            },
            ["identity"] = new JsonObject
            {
                ["type"] = "SystemAssigned",
                ["principalId"] = c.PrincipalId,
                ["tenantId"] = tenant,
            },
            ["sku"] = new JsonObject { ["name"] = "Base", ["tier"] = "Free" },
        };
    }

    internal static string DeterministicGuid(params string[] parts)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("|", parts)));
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}
