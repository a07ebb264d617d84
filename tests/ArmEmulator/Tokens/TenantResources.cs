namespace ArmEmulator;

/// <summary>
/// The resources this tenant's token endpoint issues tokens for: ARM (and the emulator itself as ARM) plus the
/// well-known first-party resources a caller may ask for by mistake - Microsoft Graph, Key Vault, Storage - so that
/// such a token reaches ARM and is refused there (401 InvalidAuthenticationTokenAudience), as on Azure - and the AKS
/// server application, the audience of Entra tokens for the clusters' API servers.
/// </summary>
internal static class TenantResources
{
    private static readonly string[] Others = ["https://graph.microsoft.com", "https://vault.azure.net", "https://storage.azure.com"];

    /// <summary>Whether <paramref name="audience"/> (with or without its trailing slash) is a resource of this tenant.</summary>
    public static bool IsKnown(string audience, Uri baseUri) =>
        ArmStages.IsAcceptedAudience(audience, baseUri)
        || Others.Contains(audience.TrimEnd('/'), StringComparer.OrdinalIgnoreCase)
        || StateStore.Eq(audience, ClusterEndpoint.AksServerAppId);
}
