namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class RoleAssignment
    {
        internal RoleAssignment(string id, string name, string scope, string roleDefinitionId, string principalId, string? principalType)
        {
            Id = id;
            Name = name;
            Scope = scope;
            RoleDefinitionId = roleDefinitionId;
            PrincipalId = principalId;
            PrincipalType = principalType;
        }

        public string Id { get; }
        public string Name { get; }
        public string Scope { get; }
        public string RoleDefinitionId { get; }
        public string PrincipalId { get; }
        public string? PrincipalType { get; }

        public override string ToString() => Id;
    }
}
