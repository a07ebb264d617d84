namespace AstronetesWorkloadIdentity.Engine
{
    public static class AgentDefaults
    {
        public const string Namespace = "resiliency-system";
        /// <summary>The managed identity name the user documentation uses.</summary>
        public const string IdentityName = "astronetes-azure-agent";
        public const string Audience = "api://AzureADTokenExchange";
        public const string RoleDefinitionName = "Reader";
        public const string PrincipalType = "ServicePrincipal";
        public const int MaxFederatedCredentialsPerIdentity = PublishedLimits.FederatedCredentialsPerIdentity;
        public const int MaxFederatedCredentialFieldLength = 600;
    }
}
