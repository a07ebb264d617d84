namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>None = nothing to write. Blocked = a finding the plan cannot fix (the cmdlet explains what the user can do).</summary>
    public enum PlanAction { None, Create, Update, Delete, Blocked }

    /// <summary>What a plan is for: New- (create what is missing, never change what exists), Repair- (also fix what differs), Remove-.</summary>
    public enum PlanMode { Create, Repair, Remove }

    public enum PlanItemKind { Cluster, Identity, RoleAssignment, FederatedCredential, DiscoveryDocument, CredentialCapacity }
}
