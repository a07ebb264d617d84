namespace AstronetesWorkloadIdentity
{
    public enum CheckResult { Pass, Warn, Fail }

    /// <summary>One check of Test-AgentWorkloadIdentity: what was checked, the verdict, the facts and the fix.</summary>
    public sealed class AgentWorkloadIdentityCheck
    {
        internal AgentWorkloadIdentityCheck(string check, CheckResult result, string detail, string? fix, string finding,
            string clusterName, string @namespace, string serviceAccountName, string identityName, string? resourceId)
        {
            Check = check;
            Result = result;
            Detail = detail;
            Fix = fix;
            Finding = finding;
            ClusterName = clusterName;
            Namespace = @namespace;
            ServiceAccountName = serviceAccountName;
            IdentityName = identityName;
            ResourceId = resourceId;
        }

        /// <summary>ClusterReady, IdentityExists, RoleAssignment, CredentialPresent, CredentialIssuer, CredentialSubject, CredentialAudience, DiscoveryIssuer, CredentialCount.</summary>
        public string Check { get; }
        public CheckResult Result { get; }
        public string Detail { get; }
        /// <summary>Null when the check passes.</summary>
        public string? Fix { get; }
        /// <summary>The engine's finding code (Ok, CredentialIssuerMismatch, ...), stable for scripts.</summary>
        public string Finding { get; }
        public string ClusterName { get; }
        public string Namespace { get; }
        public string ServiceAccountName { get; }
        public string IdentityName { get; }
        public string? ResourceId { get; }
    }
}
