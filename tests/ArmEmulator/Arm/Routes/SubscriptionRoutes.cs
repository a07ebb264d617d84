using System.Text.Json.Nodes;

namespace ArmEmulator;

/// <summary>Subscriptions, resource groups and provider metadata (Microsoft.Resources).</summary>
internal static class SubscriptionRoutes
{
    public static ArmRoute List(string method, string[] s) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.Subscriptions) : new()
    {
        ResourceType = ApiVersions.Subscriptions,
        Segments = s,
        Handler = call => new ArmResponse(200, Paging.Page(call,
            call.State.Subscriptions.Select(x => (JsonNode)Json(x, call.State.TenantId)).ToList())),
    };

    public static ArmRoute Get(string method, string[] s, string sub) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.Subscriptions) : new()
    {
        ResourceType = ApiVersions.Subscriptions,
        Segments = s,
        SubscriptionId = sub,
        Action = "Microsoft.Resources/subscriptions/read",
        AuthScope = "/subscriptions/" + sub,
        Handler = call => new ArmResponse(200, Json(call.Store.Subscription(sub)!, call.State.TenantId)),
    };

    public static ArmRoute ListResourceGroups(string method, string[] s, string sub) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.ResourceGroups) : new()
    {
        ResourceType = ApiVersions.ResourceGroups,
        Segments = s,
        SubscriptionId = sub,
        Action = "Microsoft.Resources/subscriptions/resourceGroups/read",
        AuthScope = "/subscriptions/" + sub,
        Handler = call => new ArmResponse(200, Paging.Page(call, call.State.ResourceGroups
            .Where(r => StateStore.Eq(r.SubscriptionId, sub)).Select(r => (JsonNode)Json(r)).ToList())),
    };

    public static ArmRoute GetResourceGroup(string method, string[] s, string sub, string rg) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.ResourceGroups) : new()
    {
        ResourceType = ApiVersions.ResourceGroups,
        Segments = s,
        SubscriptionId = sub,
        ResourceGroup = rg,
        Action = "Microsoft.Resources/subscriptions/resourceGroups/read",
        AuthScope = $"/subscriptions/{sub}/resourceGroups/{rg}",
        Handler = call => new ArmResponse(200, Json(call.RequireResourceGroup())),
    };

    /// <summary>GET /subscriptions/{sub}/providers/{namespace}: Azure.ResourceManager asks it for api-versions when none is set.</summary>
    public static ArmRoute Provider(string method, string[] s, string sub, string ns) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.Providers) : new()
    {
        ResourceType = ApiVersions.Providers,
        Segments = s,
        SubscriptionId = sub,
        Handler = call =>
        {
            var types = ApiVersions.All(call.State)
                .Where(kv => kv.Key.StartsWith(ns + "/", StringComparison.OrdinalIgnoreCase))
                .Select(kv => (JsonNode)new JsonObject
                {
                    ["resourceType"] = kv.Key[(ns.Length + 1)..],
                    ["locations"] = new JsonArray(ApiVersions.Locations.Select(l => (JsonNode)l).ToArray()),
                    ["apiVersions"] = new JsonArray(kv.Value.Reverse().Select(v => (JsonNode)v).ToArray()),
                }).ToArray();
            if (types.Length == 0)
                throw new ArmException(404, "InvalidResourceNamespace", $"The resource namespace '{ns}' is invalid.");
            var canonical = ApiVersions.All().First(kv => kv.Key.StartsWith(ns + "/", StringComparison.OrdinalIgnoreCase)).Key.Split('/')[0];
            return new ArmResponse(200, new JsonObject
            {
                ["id"] = $"/subscriptions/{sub}/providers/{canonical}",
                ["namespace"] = canonical,
                ["registrationState"] = "Registered",
                ["resourceTypes"] = new JsonArray(types),
            });
        },
    };

    public static JsonObject Json(SubscriptionState x, string tenantId) => new()
    {
        ["id"] = "/subscriptions/" + x.SubscriptionId,
        ["subscriptionId"] = x.SubscriptionId,
        ["tenantId"] = tenantId,
        ["displayName"] = x.DisplayName,
        ["state"] = x.State,
        ["subscriptionPolicies"] = new JsonObject
        {
            ["locationPlacementId"] = "Public_2014-09-01", ["quotaId"] = "PayAsYouGo_2014-09-01", ["spendingLimit"] = "Off",
        },
        ["authorizationSource"] = "RoleBased",
    };

    public static JsonObject Json(ResourceGroupState r) => new()
    {
        ["id"] = $"/subscriptions/{r.SubscriptionId}/resourceGroups/{r.Name}",
        ["name"] = r.Name,
        ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = r.Location,
        ["tags"] = Tags(r.Tags),
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    public static JsonObject Tags(Dictionary<string, string>? tags)
    {
        var o = new JsonObject();
        if (tags is not null) foreach (var (k, v) in tags) o[k] = v;
        return o;
    }
}
