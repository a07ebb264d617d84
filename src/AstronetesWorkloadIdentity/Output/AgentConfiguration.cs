namespace AstronetesWorkloadIdentity
{
    /// <summary>What the Astronetes agent's configuration needs, plus what each setup step did. Flat, so ConvertTo-Json is complete.</summary>
    public sealed class AgentConfiguration
    {
        internal AgentConfiguration(
            string? clientId, string? tenantId, string subscriptionId, string @namespace, string serviceAccountName,
            string issuerUrl, string identityResourceId, string? roleAssignmentId, string? federatedCredentialId,
            string federatedCredentialName, string subject, string audience,
            string identityAction, string? roleAssignmentAction, string federatedCredentialAction)
        {
            ClientId = clientId;
            TenantId = tenantId;
            SubscriptionId = subscriptionId;
            Namespace = @namespace;
            ServiceAccountName = serviceAccountName;
            IssuerUrl = issuerUrl;
            IdentityResourceId = identityResourceId;
            RoleAssignmentId = roleAssignmentId;
            FederatedCredentialId = federatedCredentialId;
            FederatedCredentialName = federatedCredentialName;
            Subject = subject;
            Audience = audience;
            IdentityAction = identityAction;
            RoleAssignmentAction = roleAssignmentAction;
            FederatedCredentialAction = federatedCredentialAction;
        }

        public string? ClientId { get; }
        public string? TenantId { get; }
        public string SubscriptionId { get; }
        public string Namespace { get; }
        public string ServiceAccountName { get; }
        public string IssuerUrl { get; }
        public string IdentityResourceId { get; }
        /// <summary>Null when the pipeline had no role-assignment step.</summary>
        public string? RoleAssignmentId { get; }
        public string? FederatedCredentialId { get; }
        public string FederatedCredentialName { get; }
        public string Subject { get; }
        public string Audience { get; }
        /// <summary>The cluster the agent runs on (null from the step cmdlets when no cluster was piped).</summary>
        public string? ClusterName { get; internal set; }
        /// <summary>The cluster's resource group, so this object pipes into Test-, Repair- and Remove-AgentWorkloadIdentity.</summary>
        public string? ResourceGroupName { get; internal set; }
        public string? IdentityName { get; internal set; }
        public string? IdentityResourceGroupName { get; internal set; }
        /// <summary>Null when not known (Get-AgentWorkloadIdentity does not read role assignments).</summary>
        public string? RoleDefinitionName { get; internal set; }
        public string? Scope { get; internal set; }
        public string IdentityAction { get; }
        public string? RoleAssignmentAction { get; }
        public string FederatedCredentialAction { get; }
    }
}
