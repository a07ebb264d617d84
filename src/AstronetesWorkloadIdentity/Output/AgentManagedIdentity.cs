namespace AstronetesWorkloadIdentity
{
    /// <summary>The agent's user-assigned managed identity, carrying the cluster it was made for.</summary>
    public sealed class AgentManagedIdentity
    {
        internal AgentManagedIdentity(string name, string resourceId, string? clientId, string? principalId, string? tenantId, string subscriptionId, string resourceGroupName, string location, string action, AksWorkloadIdentityStatus? cluster)
        {
            Name = name;
            ResourceId = resourceId;
            ClientId = clientId;
            PrincipalId = principalId;
            TenantId = tenantId;
            SubscriptionId = subscriptionId;
            ResourceGroupName = resourceGroupName;
            Location = location;
            Action = action;
            Cluster = cluster;
        }

        public string Name { get; }
        public string ResourceId { get; }
        /// <summary>Null when the identity was not created (-WhatIf or declined).</summary>
        public string? ClientId { get; }
        public string? PrincipalId { get; }
        public string? TenantId { get; }
        public string SubscriptionId { get; }
        public string ResourceGroupName { get; }
        public string Location { get; }
        /// <summary>Created, Existing, Adopted or Skipped.</summary>
        public string Action { get; }

        public AksWorkloadIdentityStatus? Cluster { get; }

        /// <summary>Made under -WhatIf (created or not): the steps it flows into preview too, instead of writing or skipping silently.</summary>
        internal bool IsPreview { get; set; }
    }
}
