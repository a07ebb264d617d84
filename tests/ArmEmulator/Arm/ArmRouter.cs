namespace ArmEmulator;

/// <summary>
/// Maps an ARM path to a route. Fixed segments and resource names match case-insensitively; the names
/// keep the case they arrive with (handlers store a new resource's name as sent).
/// </summary>
internal static class ArmRouter
{
    public static ArmRoute? Resolve(string method, string path)
    {
        var s = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        bool Is(int i, string value) => i < s.Length && s[i].Equals(value, StringComparison.OrdinalIgnoreCase);

        // Microsoft.Authorization at any scope: /{scope}/providers/Microsoft.Authorization/{roleAssignments|roleDefinitions}[/{name}]
        for (var i = s.Length - 2; i >= 0; i--)
        {
            if (!Is(i, "providers") || !Is(i + 1, "Microsoft.Authorization")) continue;
            var rest = s.Length - (i + 2);
            if (rest is < 1 or > 2) return null;
            var scope = "/" + string.Join('/', s.Take(i));
            var name = rest == 2 ? s[i + 3] : null;
            var sub = Is(0, "subscriptions") && s.Length > 1 && i >= 2 ? s[1] : null;
            var rg = sub is not null && Is(2, "resourcegroups") && i >= 4 ? s[3] : null;
            if (Is(i + 2, "roleAssignments")) return RoleAssignmentRoutes.Resolve(method, s, scope, name, sub, rg);
            if (Is(i + 2, "roleDefinitions")) return RoleDefinitionRoutes.Resolve(method, s, scope, name, sub);
            return null;
        }

        if (!Is(0, "subscriptions")) return null;
        if (s.Length == 1) return SubscriptionRoutes.List(method, s);
        var subscription = s[1];
        if (s.Length == 2) return SubscriptionRoutes.Get(method, s, subscription);
        if (Is(2, "providers"))
        {
            if (s.Length == 4) return SubscriptionRoutes.Provider(method, s, subscription, s[3]);
            if (s.Length == 5 && Is(3, "Microsoft.ManagedIdentity") && Is(4, "userAssignedIdentities"))
                return IdentityRoutes.ListInSubscription(method, s, subscription);
            if (s.Length == 8 && Is(3, "Microsoft.ContainerService") && Is(4, "locations") && Is(6, "operations"))
                return ClusterRoutes.Operation(method, s, subscription, s[5], s[7]);
            if (s.Length == 5 && Is(3, "Microsoft.ContainerService") && Is(4, "managedClusters"))
                return ClusterRoutes.ListInSubscription(method, s, subscription);
            return null;
        }
        if (!Is(2, "resourcegroups")) return null;
        if (s.Length == 3) return SubscriptionRoutes.ListResourceGroups(method, s, subscription);
        var group = s[3];
        if (s.Length == 4) return SubscriptionRoutes.GetResourceGroup(method, s, subscription, group);
        if (!Is(4, "providers") || s.Length < 7) return null;
        if (Is(5, "Microsoft.ContainerService") && Is(6, "managedClusters"))
            return s.Length switch
            {
                7 => ClusterRoutes.List(method, s, subscription, group),
                8 => ClusterRoutes.Item(method, s, subscription, group, s[7]),
                9 => ClusterCredentialRoutes.Resolve(method, s, subscription, group, s[7], s[8]),
                _ => null,
            };
        if (Is(5, "Microsoft.ManagedIdentity") && Is(6, "userAssignedIdentities"))
        {
            if (s.Length == 7) return IdentityRoutes.ListInResourceGroup(method, s, subscription, group);
            if (s.Length == 8) return IdentityRoutes.Item(method, s, subscription, group, s[7]);
            if (Is(8, "federatedIdentityCredentials"))
            {
                if (s.Length == 9) return FederatedCredentialRoutes.List(method, s, subscription, group, s[7]);
                if (s.Length == 10) return FederatedCredentialRoutes.Item(method, s, subscription, group, s[7], s[9]);
            }
        }
        return null;
    }

    public static ArmRoute NotAllowed(string method, string[] s, string type) => new()
    {
        ResourceType = type,
        Segments = s,
        Handler = _ => throw ArmErrors.MethodNotAllowed(method),
    };
}
