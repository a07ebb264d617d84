namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class ManagedCluster
    {
        internal ManagedCluster(string id, string name, string location, string subscriptionId, string resourceGroupName,
            string? provisioningState, bool oidcIssuerEnabled, string? issuerUrl, bool workloadIdentityEnabled)
        {
            Id = id;
            Name = name;
            Location = location;
            SubscriptionId = subscriptionId;
            ResourceGroupName = resourceGroupName;
            ProvisioningState = provisioningState;
            OidcIssuerEnabled = oidcIssuerEnabled;
            IssuerUrl = issuerUrl;
            WorkloadIdentityEnabled = workloadIdentityEnabled;
        }

        public string Id { get; }
        public string Name { get; }
        public string Location { get; }
        public string SubscriptionId { get; }
        public string ResourceGroupName { get; }
        public string? ProvisioningState { get; }
        public bool OidcIssuerEnabled { get; }
        /// <summary>Exactly as ARM reports it, trailing slash included: token issuers must match it byte for byte.</summary>
        public string? IssuerUrl { get; }
        public bool WorkloadIdentityEnabled { get; }

        public override string ToString() => Id;
    }
}
