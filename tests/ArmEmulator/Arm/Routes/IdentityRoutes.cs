using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArmEmulator;

/// <summary>Microsoft.ManagedIdentity/userAssignedIdentities: GET/PUT/DELETE and LIST at resource group and subscription.</summary>
internal static partial class IdentityRoutes
{
    public const string Type = "Microsoft.ManagedIdentity/userAssignedIdentities";

    // 3-128 chars, letters, digits, '-' and '_', first a letter or digit (docs/design/arm-contract.md; learn.microsoft.com resource-name-rules).
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$")]
    private static partial Regex NamePattern();

    public static ArmRoute ListInResourceGroup(string method, string[] s, string sub, string rg) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.Identities) : new()
    {
        ResourceType = ApiVersions.Identities,
        Segments = s,
        SubscriptionId = sub,
        ResourceGroup = rg,
        Action = Type + "/read",
        AuthScope = $"/subscriptions/{sub}/resourceGroups/{rg}",
        Handler = call =>
        {
            call.RequireResourceGroup();
            return new ArmResponse(200, Paging.Page(call, call.State.Identities
                .Where(i => StateStore.Eq(i.SubscriptionId, sub) && StateStore.Eq(i.ResourceGroup, rg))
                .Select(i => (JsonNode)Json(i, call.State.TenantId)).ToList()));
        },
    };

    public static ArmRoute ListInSubscription(string method, string[] s, string sub) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.Identities) : new()
    {
        ResourceType = ApiVersions.Identities,
        Segments = s,
        SubscriptionId = sub,
        Action = Type + "/read",
        AuthScope = "/subscriptions/" + sub,
        Handler = call => new ArmResponse(200, Paging.Page(call, call.State.Identities
            .Where(i => StateStore.Eq(i.SubscriptionId, sub))
            .Select(i => (JsonNode)Json(i, call.State.TenantId)).ToList())),
    };

    public static ArmRoute Item(string method, string[] s, string sub, string rg, string name)
    {
        var id = $"/subscriptions/{sub}/resourceGroups/{rg}/providers/{Type}/{name}";
        return method switch
        {
            "GET" => Route(s, sub, rg, "read", id, call =>
            {
                call.RequireResourceGroup();
                var identity = call.Store.Identity(sub, rg, name) ?? throw ArmErrors.ResourceNotFound(Type, name, rg);
                return new ArmResponse(200, Json(identity, call.State.TenantId));
            }),
            "PUT" => Route(s, sub, rg, "write", id, call => Put(call, sub, rg, name)),
            "DELETE" => Route(s, sub, rg, "delete", id, call =>
            {
                var group = call.RequireResourceGroup();
                var identity = call.Store.Identity(sub, rg, name);
                if (identity is null) return new ArmResponse(204, null);
                call.State.Identities.Remove(identity);
                call.State.Principals.RemoveAll(p => StateStore.Eq(p.ObjectId, identity.PrincipalId));
                _ = group;
                return new ArmResponse(200, null);
            }),
            _ => ArmRouter.NotAllowed(method, s, ApiVersions.Identities),
        };
    }

    private static ArmRoute Route(string[] s, string sub, string rg, string verb, string id, Func<ArmCall, ArmResponse> handler) => new()
    {
        ResourceType = ApiVersions.Identities,
        Segments = s,
        SubscriptionId = sub,
        ResourceGroup = rg,
        Action = $"{Type}/{verb}",
        AuthScope = id,
        Handler = handler,
    };

    private static ArmResponse Put(ArmCall call, string sub, string rg, string name)
    {
        var group = call.RequireResourceGroup();
        // Code unconfirmed in public material: ARM's generic InvalidResourceName is used.
        if (!NamePattern().IsMatch(name))
            throw new ArmException(400, "InvalidResourceName",
                $"Resource name '{name}' is invalid. The name can be 3-128 characters long, may contain letters, numbers, hyphens and underscores, and must start with a letter or number.");
        if (call.Body is not JsonObject body) throw ArmErrors.InvalidRequestContent("The request body must be a JSON object.");
        var location = body["location"] is JsonValue lv && lv.TryGetValue<string>(out var l) ? l : null;
        if (string.IsNullOrWhiteSpace(location)) throw ArmErrors.LocationRequired();
        var tags = ReadTags(body);

        var existing = call.Store.Identity(sub, rg, name);
        // The provider's own limits, before anything changes (a throttled write leaves no trace).
        if (call.Runtime.Options.EnforceIdentityLimits)
            call.Runtime.IdentityLimits.Admit(call.State.TenantId, sub, Normalize(existing?.Location ?? location), $"/subscriptions/{sub}/resourcegroups/{group.Name}/{name}".ToLowerInvariant(), existing is null);
        if (existing is not null)
        {
            if (!Normalize(existing.Location).Equals(Normalize(location), StringComparison.OrdinalIgnoreCase))
                throw new ArmException(400, "InvalidResourceLocation",
                    $"The resource '{existing.Name}' already exists in location '{existing.Location}' in resource group '{group.Name}'. A resource with the same name cannot be created in location '{location}'. Please select a new resource name.");
            existing.Tags = tags;
            return new ArmResponse(200, Json(existing, call.State.TenantId));
        }
        var identity = new IdentityState
        {
            SubscriptionId = sub, ResourceGroup = group.Name, Name = name, Location = Normalize(location), Tags = tags,
            ClientId = Guid.NewGuid().ToString(), PrincipalId = Guid.NewGuid().ToString(),
        };
        call.State.Identities.Add(identity);
        // The identity's service principal appears in the directory now; role assignments see it after the replication delay.
        call.State.Principals.Add(new PrincipalState
        {
            ObjectId = identity.PrincipalId, AppId = identity.ClientId, DisplayName = name, PrincipalType = "ServicePrincipal", CreatedAt = call.Now,
        });
        // Recorded: a new identity answers 201 with a relative Location naming it (lower-case "resourcegroups"); an update has none.
        return new ArmResponse(201, Json(identity, call.State.TenantId), new Dictionary<string, string> { ["Location"] = Id(identity) });
    }

    private static string Normalize(string location) => location.Replace(" ", "").ToLowerInvariant();

    private static Dictionary<string, string>? ReadTags(JsonObject body)
    {
        if (body["tags"] is not JsonObject t) return null;
        return t.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? "");
    }

    /// <summary>
    /// Identity body; the id uses lower-case "resourcegroups" as the real service writes it
    /// (learn.microsoft.com/rest/api/managedidentity/.../user-assigned-identities/create-or-update, sample response).
    /// </summary>
    public static JsonObject Json(IdentityState i, string tenantId) => new()
    {
        ["id"] = Id(i),
        ["name"] = i.Name,
        ["type"] = Type,
        ["location"] = i.Location,
        ["tags"] = SubscriptionRoutes.Tags(i.Tags),
        ["properties"] = new JsonObject
        {
            ["isolationScope"] = "None",
            ["tenantId"] = tenantId,
            ["principalId"] = i.PrincipalId,
            ["clientId"] = i.ClientId,
        },
    };

    public static string Id(IdentityState i) => $"/subscriptions/{i.SubscriptionId}/resourcegroups/{i.ResourceGroup}/providers/{Type}/{i.Name}";
}
