namespace AstronetesWorkloadIdentity
{
    /// <summary>The cloud, tenant, default subscription and kind of credential this runspace uses. Never holds a secret.</summary>
    public sealed class AgentAzureContext
    {
        internal AgentAzureContext(string environment, string armEndpoint, string authorityHost, string? tenantId, string? subscriptionId, string? subscriptionSource, string credentialType, string? clientId, bool isDefault)
        {
            Environment = environment;
            ArmEndpoint = armEndpoint;
            AuthorityHost = authorityHost;
            TenantId = tenantId;
            SubscriptionId = subscriptionId;
            SubscriptionSource = subscriptionSource;
            CredentialType = credentialType;
            ClientId = clientId;
            IsDefault = isDefault;
        }

        public string Environment { get; }
        public string ArmEndpoint { get; }
        public string AuthorityHost { get; }
        public string? TenantId { get; }
        public string? SubscriptionId { get; }
        /// <summary>Where the default subscription came from: the connection, AZURE_SUBSCRIPTION_ID, the Azure CLI profile, or the only subscription the credential can see.</summary>
        public string? SubscriptionSource { get; }
        public string CredentialType { get; }
        public string? ClientId { get; }
        /// <summary>True when no Connect-AgentAzure ran in this runspace and the defaults apply.</summary>
        public bool IsDefault { get; }
    }
}
