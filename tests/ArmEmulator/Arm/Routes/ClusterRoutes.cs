using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArmEmulator;

/// <summary>
/// Microsoft.ContainerService/managedClusters: GET, LIST, and PUT of the whole cluster as a long-running operation
/// (Azure-AsyncOperation status at .../locations/{loc}/operations/{id}), as recorded from real AKS.
/// </summary>
internal static partial class ClusterRoutes
{
    private const string Type = "Microsoft.ContainerService/managedClusters";
    /// <summary>The body's "type" as real AKS writes it (capital M; the REST spec example says managedClusters).</summary>
    private const string BodyType = "Microsoft.ContainerService/ManagedClusters";

    // 1-63 chars (docs/design/arm-contract.md; the managedClusters REST spec's resourceName pattern).
    [GeneratedRegex("^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$")]
    private static partial Regex NamePattern();

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
            call.Runtime.Operations.Settle(call.Now);
            return Aks(200, Paging.Page(call, call.State.Clusters
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
        Handler = call => Aks(200, Paging.Page(call, call.State.Clusters
            .Where(c => StateStore.Eq(c.SubscriptionId, sub))
            .Select(c => (JsonNode)Json(c, call.Runtime)).ToList())),
    };

    public static ArmRoute Item(string method, string[] s, string sub, string rg, string name)
    {
        var id = $"/subscriptions/{sub}/resourceGroups/{rg}/providers/{Type}/{name}";
        ArmRoute Route(string verb, Func<ArmCall, ArmResponse> handler) => new()
        {
            ResourceType = ApiVersions.ManagedClusters,
            Segments = s,
            SubscriptionId = sub,
            ResourceGroup = rg,
            Action = $"{Type}/{verb}",
            AuthScope = id,
            Handler = handler,
        };
        return method switch
        {
            "GET" => Route("read", call =>
            {
                call.RequireResourceGroup();
                call.Runtime.Operations.Settle(call.Now);
                var cluster = call.Store.Cluster(sub, rg, name) ?? throw ArmErrors.ResourceNotFound(Type, name, rg);
                return Aks(200, Json(cluster, call.Runtime));
            }),
            "PUT" => Route("write", call => Put(call, sub, rg, name)),
            _ => ArmRouter.NotAllowed(method, s, ApiVersions.ManagedClusters),
        };
    }

    /// <summary>GET of an operation status URL named in Azure-AsyncOperation.</summary>
    public static ArmRoute Operation(string method, string[] s, string sub, string location, string operationId) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.ClusterOperations) : new()
    {
        ResourceType = ApiVersions.ClusterOperations,
        Segments = s,
        SubscriptionId = sub,
        Action = "Microsoft.ContainerService/locations/operations/read",
        AuthScope = "/subscriptions/" + sub,
        Handler = call =>
        {
            call.Runtime.Operations.Settle(call.Now);
            var operation = call.Runtime.Operations.Get(operationId);
            // Code and text of an unknown operation id are unconfirmed (no recording shows one).
            if (operation is null || !StateStore.Eq(operation.SubscriptionId, sub) || !StateStore.Eq(operation.Location, location))
                throw new ArmException(404, "NotFound", $"Operation '{operationId}' was not found.");
            return Aks(200, ClusterOperations.Json(operation, call.Now));
        },
    };

    /// <summary>
    /// PUT of the whole cluster (as az aks update does: GET, change, PUT back). 201 Creating / 200 Updating with
    /// Azure-AsyncOperation; the operation finishes after <see cref="EmulatorClock.ClusterOperationDuration"/>.
    /// A profile the body leaves out keeps its current value (a create starts with both features off).
    /// </summary>
    private static ArmResponse Put(ArmCall call, string sub, string rg, string name)
    {
        var group = call.RequireResourceGroup();
        var operations = call.Runtime.Operations;
        operations.Settle(call.Now);
        // Code unconfirmed in public material: ARM's generic InvalidResourceName is used (as for identities).
        if (!NamePattern().IsMatch(name))
            throw new ArmException(400, "InvalidResourceName",
                $"Resource name '{name}' is invalid. The name can be 1-63 characters long, may contain letters, numbers, hyphens and underscores, and must start and end with a letter or number.");
        if (call.Body is not JsonObject body) throw ArmErrors.InvalidRequestContent("The request body must be a JSON object.");
        var location = body["location"] is JsonValue lv && lv.TryGetValue<string>(out var l) ? l : null;
        if (string.IsNullOrWhiteSpace(location)) throw ArmErrors.LocationRequired();
        var properties = body["properties"] as JsonObject;
        var oidcRequested = Bool(properties?["oidcIssuerProfile"]?["enabled"]);
        var workloadIdentityRequested = Bool(properties?["securityProfile"]?["workloadIdentity"]?["enabled"]);
        var kubernetesVersion = properties?["kubernetesVersion"] is JsonValue kv && kv.TryGetValue<string>(out var k) && k.Length > 0 ? k : null;

        var existing = call.Store.Cluster(sub, rg, name);
        if (existing is not null && operations.Running(existing, call.Now) is { } running)
            throw ArmErrors.OperationNotAllowed(running.Verb);
        var oidc = oidcRequested ?? existing?.OidcIssuerEnabled ?? false;
        var workloadIdentity = workloadIdentityRequested ?? existing?.WorkloadIdentityEnabled ?? false;
        // AKS refuses both server-side (the CLI checks the first client-side too). The exact codes and texts were not
        // found in public material: "BadRequest" with a plain statement is assumed.
        if (existing is { OidcIssuerEnabled: true } && !oidc)
            throw new ArmException(400, "BadRequest", "The OIDC issuer cannot be disabled once it has been enabled.");
        if (workloadIdentity && !oidc)
            throw new ArmException(400, "BadRequest", "Workload identity cannot be enabled without the OIDC issuer: enable oidcIssuerProfile too.");

        ClusterState cluster;
        string verb;
        if (existing is null)
        {
            cluster = new ClusterState
            {
                SubscriptionId = sub, ResourceGroup = group.Name, Name = name, Location = location.Replace(" ", "").ToLowerInvariant(),
                KubernetesVersion = kubernetesVersion ?? new ClusterState().KubernetesVersion,
            };
            call.State.Clusters.Add(cluster);
            verb = "Creating";
        }
        else
        {
            cluster = existing;
            if (kubernetesVersion is not null) cluster.KubernetesVersion = kubernetesVersion;
            verb = "Updating";
        }
        // Enabling the issuer assigns its URL at once: the recorded create already answers it while Creating.
        cluster.OidcIssuerEnabled = oidc;
        cluster.WorkloadIdentityEnabled = workloadIdentity;
        var operation = operations.Start(cluster, verb, call.Runtime.Clock);
        return Aks(existing is null ? 201 : 200, Json(cluster, call.Runtime), ("Azure-AsyncOperation", ClusterOperations.StatusUrl(call.Runtime.BaseUri, operation)));
    }

    /// <summary>An answer of the AKS resource provider: recorded with content-type application/json (no charset).</summary>
    private static ArmResponse Aks(int status, JsonNode body, params (string Name, string Value)[] headers)
    {
        var all = headers.ToDictionary(h => h.Name, h => h.Value);
        all["Content-Type"] = "application/json";
        return new ArmResponse(status, body, all);
    }

    private static bool? Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>
    /// A full cluster body as the service returns it (fields per docs/design/arm-contract.md / the managedClusters REST spec).
    /// Recorded: OIDC off is {"enabled": false} with no issuerURL. Wire casing is exactly "issuerURL".
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
            ["type"] = BodyType,
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
                // Recorded: off is an empty securityProfile, on is {"workloadIdentity":{"enabled":true}}.
                ["securityProfile"] = c.WorkloadIdentityEnabled
                    ? new JsonObject { ["workloadIdentity"] = new JsonObject { ["enabled"] = true } }
                    : new JsonObject(),
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
