namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>What an agent's configuration holds, as exported. Validated by <see cref="AgentConfigurationExporter"/>.</summary>
    public sealed class AgentExportValues
    {
        public AgentExportValues(string? clientId, string? tenantId, string? subscriptionId, string? @namespace, string? serviceAccountName,
            string? issuerUrl = null, string? identityResourceId = null)
        {
            ClientId = clientId;
            TenantId = tenantId;
            SubscriptionId = subscriptionId;
            Namespace = @namespace;
            ServiceAccountName = serviceAccountName;
            IssuerUrl = issuerUrl;
            IdentityResourceId = identityResourceId;
        }

        public string? ClientId { get; }
        public string? TenantId { get; }
        public string? SubscriptionId { get; }
        public string? Namespace { get; }
        public string? ServiceAccountName { get; }
        /// <summary>Optional: for reference in JSON and YAML.</summary>
        public string? IssuerUrl { get; }
        /// <summary>Optional: for reference in JSON and YAML.</summary>
        public string? IdentityResourceId { get; }
    }
}
