namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// What an observation says about one part of the setup. The engine only names the finding; each cmdlet words the
    /// check, the error and the advice for its own parameters.
    /// </summary>
    public enum FindingCode
    {
        Ok,
        ClusterOidcIssuerDisabled,
        ClusterWorkloadIdentityDisabled,
        /// <summary>The issuer is enabled but the cluster reports no URL yet (an update still running).</summary>
        ClusterIssuerPending,
        IdentityMissing,
        RoleAssignmentMissing,
        CredentialMissing,
        /// <summary>The credential trusts another issuer (e.g. the cluster was re-created), or the same one spelled differently.</summary>
        CredentialIssuerMismatch,
        CredentialSubjectMismatch,
        CredentialAudienceMismatch,
        /// <summary>The cluster's discovery document names another issuer than the credential trusts.</summary>
        DiscoveryIssuerMismatch,
        /// <summary>The discovery document could not be read (Entra ID could not read it either).</summary>
        DiscoveryDocumentUnavailable,
        /// <summary>The identity holds the most federated credentials Entra ID allows; ours is among them.</summary>
        CredentialLimitFull,
        /// <summary>The identity holds the most credentials Entra ID allows and ours is not among them: it cannot be added.</summary>
        CredentialLimitReached,
        /// <summary>Not observed, because something it depends on is missing (e.g. credentials of a missing identity).</summary>
        NotChecked,
        /// <summary>Removal keeps the identity and its role: other agents' credentials are still on it.</summary>
        IdentityShared,
    }
}
