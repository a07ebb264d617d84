namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class RoleDefinition
    {
        internal RoleDefinition(string id, string name, string roleName, string? roleType)
        {
            Id = id;
            Name = name;
            RoleName = roleName;
            RoleType = roleType;
        }

        public string Id { get; }
        /// <summary>The role definition GUID.</summary>
        public string Name { get; }
        public string RoleName { get; }
        /// <summary>BuiltInRole or CustomRole.</summary>
        public string? RoleType { get; }

        public override string ToString() => RoleName + " (" + Name + ")";
    }
}
