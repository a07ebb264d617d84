using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArmEmulator;

/// <summary>/{scope}/providers/Microsoft.Authorization/roleDefinitions[/{guid}] (LIST with $filter=roleName eq '...', GET).</summary>
internal static partial class RoleDefinitionRoutes
{
    public const string Type = "Microsoft.Authorization/roleDefinitions";

    [GeneratedRegex(@"^\s*roleName\s+eq\s+'(?<v>[^']*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RoleNameFilter();
    [GeneratedRegex(@"^\s*type\s+eq\s+'(?<v>[^']*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TypeFilter();

    public static ArmRoute Resolve(string method, string[] s, string scope, string? name, string? sub)
    {
        if (method != "GET") return ArmRouter.NotAllowed(method, s, ApiVersions.RoleDefinitions);
        return new ArmRoute
        {
            ResourceType = ApiVersions.RoleDefinitions,
            Segments = s,
            SubscriptionId = sub,
            // Role definitions are readable by any signed-in caller of the tenant (no RBAC check).
            Action = null,
            AuthScope = scope,
            Handler = call =>
            {
                if (name is not null)
                {
                    var def = call.Store.RoleDefinition(name) ?? throw DoesNotExist(name, 404);
                    return new ArmResponse(200, Json(def, sub));
                }
                IEnumerable<RoleDefinitionState> defs = call.State.RoleDefinitions;
                var filter = call.Query("$filter");
                if (!string.IsNullOrWhiteSpace(filter))
                {
                    foreach (var term in Regex.Split(filter, @"\s+and\s+", RegexOptions.IgnoreCase))
                    {
                        Match m;
                        if ((m = RoleNameFilter().Match(term)).Success)
                        {
                            var v = m.Groups["v"].Value;
                            defs = defs.Where(d => StateStore.Eq(d.RoleName, v));
                        }
                        else if ((m = TypeFilter().Match(term)).Success)
                        {
                            var v = m.Groups["v"].Value;
                            defs = defs.Where(d => StateStore.Eq(d.Type, v));
                        }
                        else throw new ArmException(400, "UnsupportedQuery", $"The filter '{filter}' is not supported.");
                    }
                }
                return new ArmResponse(200, Paging.Page(call, defs.Select(d => (JsonNode)Json(d, sub)).ToList()));
            },
        };
    }

    // Message form from azure-cli/az role assignment create failures ("The specified role definition with ID '...' does not exist.").
    public static ArmException DoesNotExist(string guid, int status) => new(status, "RoleDefinitionDoesNotExist",
        $"The specified role definition with ID '{guid}' does not exist.");

    public static string Id(string guid, string? sub) =>
        (sub is null ? "" : "/subscriptions/" + sub) + $"/providers/{Type}/{guid}";

    public static JsonObject Json(RoleDefinitionState d, string? sub) => new()
    {
        ["id"] = Id(d.Name, sub),
        ["type"] = Type,
        ["name"] = d.Name,
        ["properties"] = new JsonObject
        {
            ["roleName"] = d.RoleName,
            ["type"] = d.Type,
            ["description"] = d.Description,
            ["assignableScopes"] = new JsonArray("/"),
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = Arr(d.Actions),
                ["notActions"] = Arr(d.NotActions),
                ["dataActions"] = Arr(d.DataActions),
                ["notDataActions"] = Arr(d.NotDataActions),
            }),
            ["createdOn"] = "2015-02-02T21:55:09.8806423Z",
            ["updatedOn"] = "2024-01-01T00:00:00.0000000Z",
            ["createdBy"] = null,
            ["updatedBy"] = null,
        },
    };

    private static JsonArray Arr(IEnumerable<string> xs) => new(xs.Select(x => (JsonNode)x).ToArray());
}
