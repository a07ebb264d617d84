using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArmEmulator;

/// <summary>/{scope}/providers/Microsoft.Authorization/roleAssignments[/{guid}]: PUT/GET/DELETE and LIST with $filter.</summary>
internal static partial class RoleAssignmentRoutes
{
    public const string Type = "Microsoft.Authorization/roleAssignments";

    [GeneratedRegex(@"^\s*principalId\s+eq\s+'(?<v>[^']*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex PrincipalFilter();
    [GeneratedRegex(@"^\s*assignedTo\('(?<v>[^']*)'\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AssignedToFilter();
    [GeneratedRegex(@"^\s*atScope\(\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AtScopeFilter();

    public static ArmRoute Resolve(string method, string[] s, string scope, string? name, string? sub, string? rg)
    {
        ArmRoute R(string verb, string authScope, Func<ArmCall, ArmResponse> h) => new()
        {
            ResourceType = ApiVersions.RoleAssignments, Segments = s, SubscriptionId = sub, ResourceGroup = rg,
            Action = $"{Type}/{verb}", AuthScope = authScope, Handler = h,
        };
        if (name is null)
            return method == "GET" ? R("read", scope, call => List(call, scope, sub, rg)) : ArmRouter.NotAllowed(method, s, ApiVersions.RoleAssignments);
        var id = Id(scope, name);
        return method switch
        {
            "GET" => R("read", id, call =>
            {
                CheckScope(call, rg);
                var ra = Find(call.State, scope, name) ?? throw new ArmException(404, "RoleAssignmentNotFound", "The role assignment '" + name + "' is not found.");
                return new ArmResponse(200, Json(ra, sub));
            }),
            "PUT" => R("write", id, call => Put(call, scope, name, sub, rg)),
            "DELETE" => R("delete", id, call =>
            {
                CheckScope(call, rg);
                var ra = Find(call.State, scope, name);
                if (ra is null) return new ArmResponse(204, null);
                call.State.RoleAssignments.Remove(ra);
                return new ArmResponse(200, Json(ra, sub));
            }),
            _ => ArmRouter.NotAllowed(method, s, ApiVersions.RoleAssignments),
        };
    }

    private static void CheckScope(ArmCall call, string? rg)
    {
        if (rg is not null) call.RequireResourceGroup();
    }

    private static RoleAssignmentState? Find(EmulatorState state, string scope, string name) =>
        state.RoleAssignments.FirstOrDefault(r => StateStore.Eq(r.Name, name) && SameScope(r.Scope, scope));

    private static bool SameScope(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static ArmResponse List(ArmCall call, string scope, string? sub, string? rg)
    {
        CheckScope(call, rg);
        var atScope = false;
        string? principal = null;
        var filter = call.Query("$filter");
        if (!string.IsNullOrWhiteSpace(filter))
        {
            foreach (var term in Regex.Split(filter, @"\s+and\s+", RegexOptions.IgnoreCase))
            {
                Match m;
                if (AtScopeFilter().IsMatch(term)) atScope = true;
                else if ((m = PrincipalFilter().Match(term)).Success || (m = AssignedToFilter().Match(term)).Success) principal = m.Groups["v"].Value;
                else throw new ArmException(400, "UnsupportedQuery", $"The filter '{filter}' is not supported.");
            }
        }
        // Without atScope(): assignments at, above and below the scope; with it: at and above only.
        // Source: learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope ($filter description).
        var items = call.State.RoleAssignments
            .Where(r => PermissionEvaluator.ScopeCovers(r.Scope, scope) || (!atScope && PermissionEvaluator.ScopeCovers(scope, r.Scope)))
            .Where(r => principal is null || StateStore.Eq(r.PrincipalId, principal))
            .Select(r => (JsonNode)Json(r, SubscriptionOf(r.Scope) ?? sub)).ToList();
        return new ArmResponse(200, Paging.Page(call, items));
    }

    private static ArmResponse Put(ArmCall call, string scope, string name, string? sub, string? rg)
    {
        CheckScope(call, rg);
        if (!Guid.TryParse(name, out _))
            throw new ArmException(400, "InvalidRoleAssignmentId",
                $"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.");
        if (call.Body is not JsonObject body || body["properties"] is not JsonObject props)
            throw ArmErrors.InvalidRequestContent("The request content must contain a 'properties' object.");
        var roleDefinitionId = Str(props["roleDefinitionId"]);
        var principalId = Str(props["principalId"]);
        if (string.IsNullOrWhiteSpace(roleDefinitionId)) throw ArmErrors.InvalidRequestContent("The 'roleDefinitionId' property is required.");
        if (string.IsNullOrWhiteSpace(principalId)) throw ArmErrors.InvalidRequestContent("The 'principalId' property is required.");
        var principalTypeSent = Str(props["principalType"]);
        var roleGuid = roleDefinitionId.TrimEnd('/').Split('/')[^1];
        var role = call.Store.RoleDefinition(roleGuid);
        if (role is null || !roleDefinitionId.Contains("/providers/Microsoft.Authorization/roleDefinitions/", StringComparison.OrdinalIgnoreCase))
            throw RoleDefinitionRoutes.DoesNotExist(roleGuid, 400);

        var existing = Find(call.State, scope, name) ?? call.State.RoleAssignments.FirstOrDefault(r => StateStore.Eq(r.Name, name));
        if (existing is not null)
        {
            // Same name, another principal / role / scope. Message as ARM returns it.
            if (!StateStore.Eq(existing.PrincipalId, principalId) || !StateStore.Eq(existing.RoleDefinitionName, roleGuid) || !SameScope(existing.Scope, scope))
                throw new ArmException(400, "RoleAssignmentUpdateNotPermitted",
                    "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
            existing.Description = Str(props["description"]);
            existing.Condition = Str(props["condition"]);
            existing.ConditionVersion = Str(props["conditionVersion"]);
            existing.UpdatedOn = call.Now;
            existing.UpdatedBy = call.Caller.ObjectId;
            return new ArmResponse(200, Json(existing, sub));
        }
        if (call.State.RoleAssignments.Any(r => SameScope(r.Scope, scope) && StateStore.Eq(r.RoleDefinitionName, roleGuid) && StateStore.Eq(r.PrincipalId, principalId)))
            throw new ArmException(409, "RoleAssignmentExists", "The role assignment already exists.");

        CheckPrincipal(call.Runtime, principalId, principalTypeSent);
        var now = call.Now;
        var ra = new RoleAssignmentState
        {
            Name = name, Scope = scope, RoleDefinitionName = role.Name, PrincipalId = principalId,
            PrincipalType = string.IsNullOrEmpty(principalTypeSent) ? "User" : principalTypeSent,
            Description = Str(props["description"]), Condition = Str(props["condition"]), ConditionVersion = Str(props["conditionVersion"]),
            CreatedOn = now, UpdatedOn = now, CreatedBy = call.Caller.ObjectId, UpdatedBy = call.Caller.ObjectId,
            // Azure RBAC: "up to 10 minutes" before a new assignment takes effect; until then it grants nothing.
            EffectiveAt = now + call.Runtime.Clock.Real(call.Runtime.Options.RoleAssignmentPropagationDelay),
        };
        call.State.RoleAssignments.Add(ra);
        // Recorded (2019-2025): the create answer says createdBy null; later reads name the creator.
        var created = Json(ra, sub);
        created["properties"]!["createdBy"] = null;
        return new ArmResponse(201, created);
    }

    /// <summary>
    /// PrincipalNotFound for an unknown principal, and for one younger than the replication delay unless the request
    /// says principalType ServicePrincipal (learn.microsoft.com/azure/role-based-access-control/role-assignments-template#new-service-principal).
    /// Message form as ARM writes it: the principal id without dashes, the tenant id with them (deployment error bodies quoted in
    /// public issue threads: "Principal xxxxxxxx...(32) does not exist in the directory xxxxxxxx-xxxx-.... Check that you have ...").
    /// </summary>
    internal static void CheckPrincipal(EmulatorRuntime runtime, string principalId, string? principalType)
    {
        var principal = runtime.Store.Principal(principalId);
        var young = principal is not null && runtime.Time.GetUtcNow() - principal.CreatedAt < runtime.Clock.Real(runtime.Options.PrincipalReplicationDelay);
        var skipsLookup = string.Equals(principalType, "ServicePrincipal", StringComparison.OrdinalIgnoreCase);
        if (principal is null || (young && !skipsLookup))
        {
            var n = Guid.TryParse(principalId, out var g) ? g.ToString("N") : principalId;
            throw new ArmException(400, "PrincipalNotFound",
                $"Principal {n} does not exist in the directory {runtime.Store.Current.TenantId}. Check that you have the correct principal ID. " +
                "If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. " +
                "In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype");
        }
    }

    private static string? SubscriptionOf(string scope)
    {
        var parts = scope.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ? parts[1] : null;
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Id(string scope, string name) => scope.TrimEnd('/') + $"/providers/{Type}/{name}";

    public static JsonObject Json(RoleAssignmentState r, string? sub) => new()
    {
        ["properties"] = new JsonObject
        {
            ["roleDefinitionId"] = RoleDefinitionRoutes.Id(r.RoleDefinitionName, SubscriptionOf(r.Scope) ?? sub),
            ["principalId"] = r.PrincipalId,
            ["principalType"] = r.PrincipalType,
            ["scope"] = r.Scope.Length == 0 ? "/" : r.Scope,
            ["condition"] = r.Condition,
            ["conditionVersion"] = r.ConditionVersion,
            ["createdOn"] = r.CreatedOn.UtcDateTime.ToString("O"),
            ["updatedOn"] = r.UpdatedOn.UtcDateTime.ToString("O"),
            ["createdBy"] = r.CreatedBy,
            ["updatedBy"] = r.UpdatedBy,
            ["delegatedManagedIdentityResourceId"] = null,
            ["description"] = r.Description,
        },
        ["id"] = Id(r.Scope, r.Name),
        ["type"] = Type,
        ["name"] = r.Name,
    };
}
