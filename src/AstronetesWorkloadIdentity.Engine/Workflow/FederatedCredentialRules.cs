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
        internal const string Conflict = "FederatedCredentialConflict";

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
                throw new SetupPreconditionException(Conflict,
                    "Federated credential '" + sameFederation.Name + "' already federates issuer '" + issuer + "' and subject '" + subject + "' but with audience(s) '"
                    + string.Join("', '", sameFederation.Audiences) + "' instead of '" + AgentDefaults.Audience + "'. Entra ID allows one credential per issuer and subject, "
                    + "so the agent cannot get its own beside it.",
                    sameFederation.Id,
                    "If nothing else requests tokens for audience '" + string.Join("', '", sameFederation.Audiences) + "' as this service account, set the audience of '"
                    + sameFederation.Name + "' to '" + AgentDefaults.Audience + "' (or " + DeleteCommand(identityId, sameFederation.Name)
                    + ") and run again; otherwise use another managed identity for the agent.");
            }

            var sameName = all.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (sameName != null) throw NameConflict(sameName, identityId, issuer, subject);

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

        /// <summary>
        /// The name is taken by a credential for another federation. The advice depends on why, and never tells the user
        /// to delete a credential that may be working for someone else:
        /// another subject = another agent's credential (keep it, pass -Name); the same subject with an issuer that differs
        /// only by the trailing slash or letter case = a credential that can never match this cluster's tokens (replace it);
        /// the same subject with another issuer = a re-created cluster (the old one is stale) or another live cluster of the
        /// same name (keep it, pass -Name).
        /// </summary>
        internal static SetupPreconditionException NameConflict(FederatedIdentityCredential existing, string identityId, string issuer, string subject)
        {
            var prefix = "Federated credential '" + existing.Name + "' ";
            if (!string.Equals(existing.Subject, subject, StringComparison.Ordinal))
            {
                return new SetupPreconditionException(Conflict,
                    prefix + "already exists for another subject, '" + existing.Subject + "' (issuer '" + existing.Issuer + "'), not this agent's subject '" + subject
                    + "' (issuer '" + issuer + "'). It serves another service account and was left as it is.",
                    existing.Id,
                    "Pass -Name to create a separate credential for subject '" + subject + "' beside '" + existing.Name + "'.");
            }

            var difference = CompareIssuers(existing.Issuer, issuer);
            if (difference != null)
            {
                return new SetupPreconditionException(Conflict,
                    prefix + "federates subject '" + subject + "' from issuer '" + existing.Issuer + "', which " + difference + " the issuer the cluster reports, '" + issuer
                    + "'. Token exchange compares issuers exactly, so the cluster's tokens fail with AADSTS70021 (no matching federated identity record found): "
                    + "this credential cannot work as it is.",
                    existing.Id,
                    "Replace it: " + DeleteCommand(identityId, existing.Name) + " and run again to create it with issuer '" + issuer + "'.");
            }

            return new SetupPreconditionException(Conflict,
                prefix + "federates subject '" + subject + "' but trusts another issuer, '" + existing.Issuer + "', not the issuer this cluster reports, '" + issuer + "'.",
                existing.Id,
                "If the cluster was re-created and the old issuer '" + existing.Issuer + "' is gone, " + DeleteCommand(identityId, existing.Name)
                + " and run again. If it belongs to another live cluster with the same name, pass -Name to create a separate credential for this cluster.");
        }

        /// <summary>
        /// How <paramref name="existing"/> differs from <paramref name="reported"/> when the difference is only the trailing
        /// slash and/or letter case (words to follow "which"); null when they are different issuers.
        /// </summary>
        internal static string? CompareIssuers(string existing, string reported)
        {
            if (string.Equals(existing, reported, StringComparison.Ordinal)) return null;
            if (!string.Equals(existing.TrimEnd('/'), reported.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)) return null;
            var existingSlash = existing.EndsWith("/", StringComparison.Ordinal);
            var reportedSlash = reported.EndsWith("/", StringComparison.Ordinal);
            var sameCase = string.Equals(existing.TrimEnd('/'), reported.TrimEnd('/'), StringComparison.Ordinal);
            string slash = existingSlash == reportedSlash ? ""
                : existingSlash ? "has a trailing slash that is missing from"
                : "lacks the trailing slash of";
            if (sameCase) return slash;
            return slash.Length == 0 ? "differs only in letter case from" : slash + ", and differs in letter case from,";
        }

        /// <summary>Which credential to delete, in words any tool's user can follow (the engine names no command line).</summary>
        internal static string DeleteCommand(string identityId, string credentialName)
            => "delete federated credential '" + credentialName + "' of identity '" + identityId + "'";
    }
}
