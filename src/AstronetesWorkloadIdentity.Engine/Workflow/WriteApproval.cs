namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Asked just before each write (the cmdlet's ShouldProcess); false skips the write.</summary>
    public delegate bool WriteApproval(string resourceId, string action);
}
