namespace ArmEmulator;

/// <summary>
/// Azure RBAC as ARM evaluates it for control-plane actions: a caller may perform an action over a scope when a role
/// assignment of theirs at that scope or above grants a role whose Actions match and whose NotActions do not.
/// Wildcards: '*' matches any characters (e.g. "*/read", "Microsoft.Authorization/*/Write"); comparison is case-insensitive.
/// Source: https://learn.microsoft.com/azure/role-based-access-control/role-definitions#actions-format
/// </summary>
internal static class PermissionEvaluator
{
    /// <summary>Caller must hold the state lock.</summary>
    /// <param name="now">Assignments not yet effective at this time grant nothing; null ignores propagation.</param>
    public static bool IsAllowed(EmulatorState state, string principalId, string action, string scope, DateTimeOffset? now = null)
    {
        foreach (var assignment in state.RoleAssignments)
        {
            if (now is not null && assignment.EffectiveAt > now) continue;
            if (!StateStore.Eq(assignment.PrincipalId, principalId) || !ScopeCovers(assignment.Scope, scope)) continue;
            var role = state.RoleDefinitions.FirstOrDefault(r => StateStore.Eq(r.Name, assignment.RoleDefinitionName));
            if (role is null) continue;
            if (role.Actions.Any(a => Matches(a, action)) && !role.NotActions.Any(a => Matches(a, action))) return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="outer"/> equals <paramref name="inner"/> or is an ancestor of it (segment-wise, case-insensitive).</summary>
    public static bool ScopeCovers(string outer, string inner)
    {
        var o = outer.TrimEnd('/');
        var i = inner.TrimEnd('/');
        if (o.Length == 0) return true; // "/" = root scope
        return i.Equals(o, StringComparison.OrdinalIgnoreCase) ||
               (i.StartsWith(o, StringComparison.OrdinalIgnoreCase) && i[o.Length] == '/');
    }

    public static bool Matches(string pattern, string action)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1) return pattern.Equals(action, StringComparison.OrdinalIgnoreCase);
        var pos = 0;
        for (var k = 0; k < parts.Length; k++)
        {
            var part = parts[k];
            if (k == 0)
            {
                if (!action.StartsWith(part, StringComparison.OrdinalIgnoreCase)) return false;
                pos = part.Length;
            }
            else if (k == parts.Length - 1)
            {
                return action.Length - pos >= part.Length && action.EndsWith(part, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                var idx = action.IndexOf(part, pos, StringComparison.OrdinalIgnoreCase);
                if (idx < 0) return false;
                pos = idx + part.Length;
            }
        }
        return true;
    }
}
