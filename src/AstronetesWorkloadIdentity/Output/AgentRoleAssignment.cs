namespace AstronetesWorkloadIdentity
{
    /// <summary>The identity's role assignment, carrying the identity so the chain can go on.</summary>
    public sealed class AgentRoleAssignment
    {
        internal AgentRoleAssignment(string? roleAssignmentId, string? name, string scope, string roleDefinitionName, string? roleDefinitionId, string? principalId, string principalType, string action, AgentManagedIdentity identity)
        {
            RoleAssignmentId = roleAssignmentId;
            Name = name;
            Scope = scope;
            RoleDefinitionName = roleDefinitionName;
            RoleDefinitionId = roleDefinitionId;
            PrincipalId = principalId;
            PrincipalType = principalType;
            Action = action;
            Identity = identity;
        }

        /// <summary>Null when nothing was written (-WhatIf, or the identity does not exist yet).</summary>
        public string? RoleAssignmentId { get; }
        public string? Name { get; }
        public string Scope { get; }
        public string RoleDefinitionName { get; }
        public string? RoleDefinitionId { get; }
        public string? PrincipalId { get; }
        public string PrincipalType { get; }
        /// <summary>Created, Existing, Adopted or Skipped.</summary>
        public string Action { get; }

        public AgentManagedIdentity Identity { get; }

        /// <summary>Made under -WhatIf here or upstream: the credential step previews too.</summary>
        internal bool IsPreview { get; set; }
    }
}
