using System;
using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Turns an observation into a plan; pure (no calls), so every finding can be tested from a hand-made observation.
    /// Create never changes what exists (a differing credential is Blocked, as New- always refused to overwrite);
    /// Repair updates what is ours (found under the federation's own name); Remove deletes credentials, then the role
    /// assignment, then the identity.
    /// </summary>
    public static class AgentPlanner
    {
        public static AgentPlan Plan(AgentObservation observation, PlanMode mode, bool keepIdentity = false)
        {
            if (observation == null) throw new ArgumentNullException(nameof(observation));
            return mode == PlanMode.Remove ? PlanRemove(observation, keepIdentity) : PlanSetup(observation, mode);
        }

        private static AgentPlan PlanSetup(AgentObservation o, PlanMode mode)
        {
            var spec = o.Spec;
            var items = new List<PlanItem>();
            foreach (var cluster in spec.Clusters) items.Add(ClusterItem(o.Clusters[cluster]));

            // An identity that no cluster could federate to would only be clutter: it waits for a ready cluster.
            var anyReady = spec.Clusters.Any(c => o.Clusters[c].IsReady);
            var identity = o.Identity;
            items.Add(identity != null
                ? new PlanItem(PlanItemKind.Identity, identity.Id, PlanAction.None, Array.Empty<FindingCode>(), "Identity '" + identity.Name + "' exists (client ID " + identity.ClientId + ").")
                : new PlanItem(PlanItemKind.Identity, spec.IdentityId, anyReady ? PlanAction.Create : PlanAction.Blocked, new[] { FindingCode.IdentityMissing },
                    "Identity '" + spec.IdentityName + "' does not exist."));

            var roleDetail = "role '" + spec.RoleDefinitionName + "' at scope '" + spec.Scope + "'";
            items.Add(o.RoleAssignment != null
                ? new PlanItem(PlanItemKind.RoleAssignment, o.RoleAssignment.Id, PlanAction.None, Array.Empty<FindingCode>(), "The identity has " + roleDetail + ".")
                : new PlanItem(PlanItemKind.RoleAssignment, RoleAssignmentIdOrScope(o), PlanAction.Create, new[] { FindingCode.RoleAssignmentMissing },
                    "The identity has no assignment of " + roleDetail + (identity == null ? " (it does not exist yet)." : ".")));

            var creates = 0;
            var credentialItems = new List<PlanItem>();
            foreach (var federation in spec.Federations)
            {
                var item = CredentialItem(o, federation, mode);
                if (item.Action == PlanAction.Create) creates++;
                credentialItems.Add(item);
            }

            // Entra ID's limit counts every credential on the identity, not just the agent's.
            var limit = AgentDefaults.MaxFederatedCredentialsPerIdentity;
            var after = o.Credentials.Count + creates;
            PlanItem capacity;
            if (after > limit)
            {
                capacity = new PlanItem(PlanItemKind.CredentialCapacity, spec.IdentityId, PlanAction.Blocked, new[] { FindingCode.CredentialLimitReached },
                    "The identity has " + o.Credentials.Count + " federated credentials; " + creates + " more would pass Entra ID's limit of " + limit + ".");
                credentialItems = credentialItems.Select(i => i.Action == PlanAction.Create
                    ? new PlanItem(i.Kind, i.ResourceId, PlanAction.Blocked, i.Findings, i.Detail, i.Federation) : i).ToList();
            }
            else if (after == limit)
            {
                capacity = new PlanItem(PlanItemKind.CredentialCapacity, spec.IdentityId, PlanAction.None, new[] { FindingCode.CredentialLimitFull },
                    "The identity has " + after + " federated credentials" + (creates > 0 ? " once this one is added" : "") + ", Entra ID's limit: no other cluster or agent can be added to it.");
            }
            else
            {
                capacity = new PlanItem(PlanItemKind.CredentialCapacity, spec.IdentityId, PlanAction.None, Array.Empty<FindingCode>(),
                    "The identity has " + o.Credentials.Count + " of at most " + limit + " federated credentials.");
            }

            items.AddRange(credentialItems);
            items.Add(capacity);
            if (o.Discovery != null)
            {
                foreach (var federation in spec.Federations) items.Add(DiscoveryItem(o, federation));
            }
            return new AgentPlan(o, mode, items);
        }

        private static PlanItem ClusterItem(ClusterIssuer c)
        {
            if (c.IsReady)
                return new PlanItem(PlanItemKind.Cluster, c.Cluster.Id, PlanAction.None, Array.Empty<FindingCode>(),
                    "Cluster '" + c.Cluster.Name + "' has its OIDC issuer and workload identity enabled; issuer '" + c.IssuerUrl + "'.", cluster: c.Cluster);
            var facts = c.NotReady.Select(f => f switch
            {
                FindingCode.ClusterOidcIssuerDisabled => "the OIDC issuer is not enabled",
                FindingCode.ClusterWorkloadIdentityDisabled => "workload identity is not enabled",
                FindingCode.ClusterIssuerPending => "the OIDC issuer is enabled but no issuer URL is reported yet (provisioning state: " + (c.ProvisioningState ?? "unknown") + ")",
                _ => f.ToString(),
            });
            return new PlanItem(PlanItemKind.Cluster, c.Cluster.Id, PlanAction.Blocked, c.NotReady,
                "Cluster '" + c.Cluster.Name + "': " + string.Join("; ", facts) + ".", cluster: c.Cluster);
        }

        private static PlanItem CredentialItem(AgentObservation o, AgentFederation f, PlanMode mode)
        {
            var cluster = o.Clusters[f.Cluster];
            var issuer = cluster.IssuerUrl;
            var identityId = o.Identity?.Id ?? o.Spec.IdentityId;
            var existing = o.CredentialFor(f);
            if (existing == null)
            {
                var id = ArmResourceId.FederatedCredential(identityId, f.CredentialName);
                var stale = o.Credentials.FirstOrDefault(c => string.Equals(c.Subject, f.Subject, StringComparison.Ordinal));
                var detail = o.Identity == null
                    ? "No credential: the identity does not exist yet."
                    : "No credential on the identity federates subject '" + f.Subject + "' from issuer '" + (issuer ?? "(none reported)") + "'"
                      + (stale == null ? "." : "; credential '" + stale.Name + "' federates that subject from issuer '" + stale.Issuer + "'.");
                // Without an issuer there is nothing to write yet: the cluster item says why.
                var action = issuer == null || !cluster.IsReady ? PlanAction.Blocked : PlanAction.Create;
                return new PlanItem(PlanItemKind.FederatedCredential, id, action, new[] { FindingCode.CredentialMissing }, detail, f);
            }

            var findings = new List<FindingCode>();
            var facts = new List<string>();
            if (issuer != null && !string.Equals(existing.Issuer, issuer, StringComparison.Ordinal))
            {
                findings.Add(FindingCode.CredentialIssuerMismatch);
                var how = FederatedCredentialRules.CompareIssuers(existing.Issuer, issuer);
                facts.Add("its issuer '" + existing.Issuer + "' " + (string.IsNullOrEmpty(how) ? "is not" : how) + " the cluster's issuer '" + issuer + "'");
            }
            if (!string.Equals(existing.Subject, f.Subject, StringComparison.Ordinal))
            {
                findings.Add(FindingCode.CredentialSubjectMismatch);
                facts.Add("its subject '" + existing.Subject + "' is not '" + f.Subject + "'");
            }
            if (existing.Audiences.Count != 1 || !string.Equals(existing.Audiences[0], f.Audience, StringComparison.Ordinal))
            {
                findings.Add(FindingCode.CredentialAudienceMismatch);
                facts.Add("its audience '" + string.Join("', '", existing.Audiences) + "' is not '" + f.Audience + "'");
            }
            if (findings.Count == 0)
                return new PlanItem(PlanItemKind.FederatedCredential, existing.Id, PlanAction.None, findings,
                    "Credential '" + existing.Name + "' federates subject '" + existing.Subject + "' from issuer '" + existing.Issuer + "' for audience '" + f.Audience + "'.", f);

            // Ours = under the federation's own name; a differing credential under another name may serve someone else.
            var ours = string.Equals(existing.Name, f.CredentialName, StringComparison.OrdinalIgnoreCase);
            var fix = mode == PlanMode.Repair && ours && issuer != null ? PlanAction.Update : PlanAction.Blocked;
            return new PlanItem(PlanItemKind.FederatedCredential, existing.Id, fix, findings, "Credential '" + existing.Name + "': " + string.Join("; ", facts) + ".", f);
        }

        private static PlanItem DiscoveryItem(AgentObservation o, AgentFederation f)
        {
            var cluster = o.Clusters[f.Cluster];
            var credential = o.CredentialFor(f);
            var trusted = credential?.Issuer ?? cluster.IssuerUrl;
            if (cluster.IssuerUrl == null || !o.Discovery!.TryGetValue(f.Cluster, out var doc))
                return new PlanItem(PlanItemKind.DiscoveryDocument, f.Cluster.Id, PlanAction.None, new[] { FindingCode.NotChecked },
                    "The cluster reports no issuer, so there is no discovery document to read.", f);
            if (doc.Error != null)
                return new PlanItem(PlanItemKind.DiscoveryDocument, doc.DocumentUrl, PlanAction.Blocked, new[] { FindingCode.DiscoveryDocumentUnavailable },
                    "The discovery document '" + doc.DocumentUrl + "' could not be read: " + doc.Error, f);
            // Rewriting the credential with the cluster's issuer fixes a mismatch, unless the document disagrees with the cluster itself.
            var fixable = string.Equals(doc.Issuer, cluster.IssuerUrl, StringComparison.Ordinal);
            if (!string.Equals(doc.Issuer, trusted, StringComparison.Ordinal))
                return new PlanItem(PlanItemKind.DiscoveryDocument, doc.DocumentUrl, fixable ? PlanAction.None : PlanAction.Blocked, new[] { FindingCode.DiscoveryIssuerMismatch },
                    "The discovery document names issuer '" + doc.Issuer + "', but " + (credential != null ? "credential '" + credential.Name + "'" : "the cluster") + " has '" + trusted + "'.", f);
            return new PlanItem(PlanItemKind.DiscoveryDocument, doc.DocumentUrl, PlanAction.None, Array.Empty<FindingCode>(),
                "The discovery document names issuer '" + doc.Issuer + "', the one the credential trusts.", f);
        }

        private static AgentPlan PlanRemove(AgentObservation o, bool keepIdentity)
        {
            var spec = o.Spec;
            var items = new List<PlanItem>();
            var ours = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var f in spec.Federations)
            {
                var credential = o.CredentialFor(f);
                if (credential == null)
                {
                    items.Add(new PlanItem(PlanItemKind.FederatedCredential, ArmResourceId.FederatedCredential(o.Identity?.Id ?? spec.IdentityId, f.CredentialName),
                        PlanAction.None, new[] { FindingCode.CredentialMissing }, "No credential for subject '" + f.Subject + "' to remove.", f));
                    continue;
                }
                ours.Add(credential.Name);
                items.Add(new PlanItem(PlanItemKind.FederatedCredential, credential.Id, PlanAction.Delete, Array.Empty<FindingCode>(),
                    "Credential '" + credential.Name + "' (subject '" + credential.Subject + "', issuer '" + credential.Issuer + "').", f));
            }

            var others = o.Credentials.Where(c => !ours.Contains(c.Name)).Select(c => c.Name).ToList();
            // Another agent's credential on the identity means the identity and its role serve that agent too.
            var keepReason = keepIdentity ? "kept (-KeepIdentity)"
                : others.Count > 0 ? "kept: the identity still carries " + others.Count + " other credential(s) (" + string.Join(", ", others) + ")"
                : null;
            var keepFindings = keepReason != null && !keepIdentity ? new[] { FindingCode.IdentityShared } : Array.Empty<FindingCode>();

            var roleId = o.RoleAssignment?.Id ?? RoleAssignmentIdOrScope(o);
            items.Add(o.RoleAssignment == null
                ? new PlanItem(PlanItemKind.RoleAssignment, roleId, PlanAction.None, new[] { FindingCode.RoleAssignmentMissing }, "No assignment of role '" + spec.RoleDefinitionName + "' at scope '" + spec.Scope + "' to remove.")
                : keepReason != null
                    ? new PlanItem(PlanItemKind.RoleAssignment, roleId, PlanAction.None, keepFindings, "Role assignment " + keepReason + ".")
                    : new PlanItem(PlanItemKind.RoleAssignment, roleId, PlanAction.Delete, Array.Empty<FindingCode>(), "Role '" + spec.RoleDefinitionName + "' at scope '" + spec.Scope + "'."));

            items.Add(o.Identity == null
                ? new PlanItem(PlanItemKind.Identity, spec.IdentityId, PlanAction.None, new[] { FindingCode.IdentityMissing }, "Identity '" + spec.IdentityName + "' does not exist.")
                : keepReason != null
                    ? new PlanItem(PlanItemKind.Identity, o.Identity.Id, PlanAction.None, keepFindings, "Identity '" + o.Identity.Name + "' " + keepReason + ".")
                    : new PlanItem(PlanItemKind.Identity, o.Identity.Id, PlanAction.Delete, Array.Empty<FindingCode>(), "Identity '" + o.Identity.Name + "'."));
            return new AgentPlan(o, PlanMode.Remove, items);
        }

        /// <summary>The deterministic assignment ID once the principal is known; the scope's assignments path before.</summary>
        private static string RoleAssignmentIdOrScope(AgentObservation o)
        {
            if (o.Identity == null) return ArmResourceId.RoleAssignments(o.Spec.Scope);
            return ArmResourceId.RoleAssignment(o.Spec.Scope, DeterministicNames.RoleAssignment(o.Spec.Scope, o.RoleDefinitionGuid, o.Identity.PrincipalId));
        }
    }
}
