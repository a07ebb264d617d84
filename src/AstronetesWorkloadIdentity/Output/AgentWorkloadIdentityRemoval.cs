namespace AstronetesWorkloadIdentity
{
    /// <summary>What Remove-AgentWorkloadIdentity did for one agent: Deleted, Absent (nothing there), Existing (kept) or Skipped.</summary>
    public sealed class AgentWorkloadIdentityRemoval
    {
        internal AgentWorkloadIdentityRemoval(string clusterName, string @namespace, string serviceAccountName, string identityName, string identityResourceId,
            string federatedCredentialAction, string roleAssignmentAction, string identityAction, string? keptBecause)
        {
            ClusterName = clusterName;
            Namespace = @namespace;
            ServiceAccountName = serviceAccountName;
            IdentityName = identityName;
            IdentityResourceId = identityResourceId;
            FederatedCredentialAction = federatedCredentialAction;
            RoleAssignmentAction = roleAssignmentAction;
            IdentityAction = identityAction;
            KeptBecause = keptBecause;
        }

        public string ClusterName { get; }
        public string Namespace { get; }
        public string ServiceAccountName { get; }
        public string IdentityName { get; }
        public string IdentityResourceId { get; }
        public string FederatedCredentialAction { get; }
        public string RoleAssignmentAction { get; }
        public string IdentityAction { get; }
        /// <summary>Why the identity and its role assignment were kept (-KeepIdentity, or other agents' credentials on it); null when removed.</summary>
        public string? KeptBecause { get; }
    }
}
