using System;
using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// What Entra ID enforces on an identity's federated credentials, checked on the listed credentials so that
    /// a conflict or the 20-credential limit is reported before any write instead of as a failed PUT.
    /// </summary>
    internal static class FederatedCredentialRules
    {
        /// <summary>
        /// The credential that already federates issuer+subject with the agent audience, or null when a new one
        /// may be written under <paramref name="name"/>; SetupPreconditionException when neither is possible.
        /// </summary>
        public static FederatedIdentityCredential? FindReusable(IReadOnlyList<FederatedIdentityCredential> all, string identityId, string name, string issuer, string subject)
        {
            // Token exchange compares issuer and subject exactly, case and trailing slash included.
            var sameFederation = all.FirstOrDefault(f => string.Equals(f.Issuer, issuer, StringComparison.Ordinal) && string.Equals(f.Subject, subject, StringComparison.Ordinal));
            if (sameFederation != null)
            {
                if (sameFederation.Audiences.Count == 1 && string.Equals(sameFederation.Audiences[0], AgentDefaults.Audience, StringComparison.Ordinal))
                    return sameFederation;
                throw new SetupPreconditionException("FederatedCredentialConflict",
                    "Federated credential '" + sameFederation.Name + "' already federates issuer '" + issuer + "' and subject '" + subject + "' but with audience(s) '"
                    + string.Join("', '", sameFederation.Audiences) + "' instead of '" + AgentDefaults.Audience + "'. Entra ID allows one credential per issuer and subject.",
                    sameFederation.Id,
                    "Remove or correct federated credential '" + sameFederation.Name + "', then run again.");
            }

            var sameName = all.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (sameName != null)
            {
                throw new SetupPreconditionException("FederatedCredentialConflict",
                    "Federated credential '" + sameName.Name + "' exists with issuer '" + sameName.Issuer + "' and subject '" + sameName.Subject
                    + "', not the requested issuer '" + issuer + "' and subject '" + subject + "'. Credential names cannot be reused for another federation.",
                    sameName.Id,
                    "Choose another credential name, or remove '" + sameName.Name + "' if it is stale (for example left on the issuer of a re-created cluster).");
            }

            if (all.Count >= AgentDefaults.MaxFederatedCredentialsPerIdentity)
            {
                throw new SetupPreconditionException("FederatedCredentialLimitReached",
                    "Managed identity '" + identityId + "' already has " + all.Count + " federated credentials, the most Entra ID allows ("
                    + AgentDefaults.MaxFederatedCredentialsPerIdentity + ").",
                    identityId,
                    "Remove federated credentials that are no longer used, or use another managed identity.");
            }
            return null;
        }
    }
}
