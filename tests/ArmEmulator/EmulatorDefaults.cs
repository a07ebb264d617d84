namespace ArmEmulator;

/// <summary>Fixed identifiers of the default state, so demos and tests are stable.</summary>
public static class EmulatorDefaults
{
    public const string TenantId = "5f1c8e2a-7b3d-4c9e-a1f0-2d6b8e4c7a91";
    public const string SubscriptionId = "9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a";
    public const string SubscriptionDisplayName = "Astronetes Emulated Subscription";
    public const string ResourceGroup = "rg-astronetes";
    public const string Location = "westeurope";

    /// <summary>Service principal with Owner at subscription scope.</summary>
    public const string DeployerClientId = "3c2b1a09-8f7e-4d6c-9b5a-0e1f2a3b4c5d";
    public const string DeployerClientSecret = "deployer-secret-emulator-only";
    public const string DeployerObjectId = "7e6d5c4b-3a29-4180-8f7e-6d5c4b3a2918";

    /// <summary>Service principal with Contributor at subscription scope: lacks Microsoft.Authorization/roleAssignments/write.</summary>
    public const string ContributorClientId = "4d3c2b1a-0f9e-4d8c-8b7a-6e5f4a3b2c1d";
    public const string ContributorClientSecret = "contributor-secret-emulator-only";
    public const string ContributorObjectId = "8f7e6d5c-4b3a-4291-9e8f-7d6c5b4a3928";

    public const string ClusterReady = "aks-ready";
    public const string ClusterNoOidc = "aks-no-oidc";
    public const string ClusterNoWorkloadIdentity = "aks-no-wi";
    public const string ClusterReadyIssuerId = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
    public const string ClusterNoOidcIssuerId = "1c2d3e4f-5061-4728-93a4-b5c6d7e8f90a";
    public const string ClusterNoWorkloadIdentityIssuerId = "2d3e4f50-6172-4839-a4b5-c6d7e8f90a1b";

    // Built-in role definition GUIDs (the same in every Azure tenant).
    public const string ReaderRoleId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    public const string ContributorRoleId = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    public const string OwnerRoleId = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
}
