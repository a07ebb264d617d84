namespace ArmEmulator;

/// <summary>The state an emulator starts with unless another is given (documented in README.md).</summary>
public static class DefaultState
{
    public static EmulatorState Create()
    {
        const string sub = EmulatorDefaults.SubscriptionId;
        const string rg = EmulatorDefaults.ResourceGroup;
        const string loc = EmulatorDefaults.Location;
        return new EmulatorState
        {
            TenantId = EmulatorDefaults.TenantId,
            Subscriptions = { new SubscriptionState { SubscriptionId = sub, DisplayName = EmulatorDefaults.SubscriptionDisplayName } },
            ResourceGroups = { new ResourceGroupState { SubscriptionId = sub, Name = rg, Location = loc } },
            Clusters =
            {
                new ClusterState { SubscriptionId = sub, ResourceGroup = rg, Name = EmulatorDefaults.ClusterReady, Location = loc,
                    OidcIssuerEnabled = true, WorkloadIdentityEnabled = true, OidcIssuerId = EmulatorDefaults.ClusterReadyIssuerId,
                    PrincipalId = "a1b2c3d4-0001-4000-8000-000000000001" },
                new ClusterState { SubscriptionId = sub, ResourceGroup = rg, Name = EmulatorDefaults.ClusterNoOidc, Location = loc,
                    OidcIssuerEnabled = false, WorkloadIdentityEnabled = false, OidcIssuerId = EmulatorDefaults.ClusterNoOidcIssuerId,
                    PrincipalId = "a1b2c3d4-0002-4000-8000-000000000002" },
                new ClusterState { SubscriptionId = sub, ResourceGroup = rg, Name = EmulatorDefaults.ClusterNoWorkloadIdentity, Location = loc,
                    OidcIssuerEnabled = true, WorkloadIdentityEnabled = false, OidcIssuerId = EmulatorDefaults.ClusterNoWorkloadIdentityIssuerId,
                    PrincipalId = "a1b2c3d4-0003-4000-8000-000000000003" },
            },
            Principals =
            {
                new PrincipalState { ObjectId = EmulatorDefaults.DeployerObjectId, AppId = EmulatorDefaults.DeployerClientId,
                    DisplayName = "astronetes-deployer", ClientSecret = EmulatorDefaults.DeployerClientSecret },
                new PrincipalState { ObjectId = EmulatorDefaults.ContributorObjectId, AppId = EmulatorDefaults.ContributorClientId,
                    DisplayName = "astronetes-contributor", ClientSecret = EmulatorDefaults.ContributorClientSecret },
            },
            RoleDefinitions = BuiltInRoles.All(),
            RoleAssignments =
            {
                new RoleAssignmentState { Name = "5b0e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b", Scope = "/subscriptions/" + sub,
                    RoleDefinitionName = EmulatorDefaults.OwnerRoleId, PrincipalId = EmulatorDefaults.DeployerObjectId, PrincipalType = "ServicePrincipal" },
                new RoleAssignmentState { Name = "6c1f8a4b-2d3e-4f50-9b0c-1d2e3f4a5b6c", Scope = "/subscriptions/" + sub,
                    RoleDefinitionName = EmulatorDefaults.ContributorRoleId, PrincipalId = EmulatorDefaults.ContributorObjectId, PrincipalType = "ServicePrincipal" },
            },
        };
    }
}

/// <summary>
/// Built-in role definitions with their real permissions.
/// Source: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (Owner, Contributor, Reader).
/// </summary>
public static class BuiltInRoles
{
    public static List<RoleDefinitionState> All() => new()
    {
        new RoleDefinitionState
        {
            Name = EmulatorDefaults.OwnerRoleId, RoleName = "Owner",
            Description = "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
            Actions = { "*" },
        },
        new RoleDefinitionState
        {
            Name = EmulatorDefaults.ContributorRoleId, RoleName = "Contributor",
            Description = "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
            Actions = { "*" },
            NotActions =
            {
                "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
                "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete",
                "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
                "Microsoft.Resources/deploymentStacks/manageDenySetting/action", "Microsoft.Subscription/cancel/action",
                "Microsoft.Subscription/enable/action",
            },
        },
        new RoleDefinitionState
        {
            Name = EmulatorDefaults.ReaderRoleId, RoleName = "Reader",
            Description = "View all resources, but does not allow you to make any changes.",
            Actions = { "*/read" },
        },
    };
}
