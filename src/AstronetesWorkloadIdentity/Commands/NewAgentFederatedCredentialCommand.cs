using System;
using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Federates the agent's Kubernetes service account with its identity (issuer = the cluster's issuer URL exactly
    /// as ARM reports it, subject = system:serviceaccount:&lt;namespace&gt;:&lt;agent&gt;) and returns the agent's configuration.
    /// Takes the identity, or the role assignment that carries it, from the pipeline.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AgentFederatedCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AgentConfiguration))]
    public sealed class NewAgentFederatedCredentialCommand : AgentCmdletBase
    {
        /// <summary>The identity from New-AgentManagedIdentity; from New-AgentRoleAssignment it binds by property name.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public AgentManagedIdentity? Identity { get; set; }

        /// <summary>The role assignment from New-AgentRoleAssignment, so the configuration can name it.</summary>
        [Parameter(ValueFromPipeline = true)]
        public AgentRoleAssignment? RoleAssignment { get; set; }

        /// <summary>The agent's Kubernetes service account name.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [Alias("ServiceAccountName")]
        public string AgentName { get; set; } = string.Empty;

        /// <summary>The agent's Kubernetes namespace.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Namespace { get; set; } = AgentDefaults.Namespace;

        /// <summary>The credential's name; derived from the cluster and the agent when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>Overrides the cluster's issuer URL; required when the identity carries no cluster.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? IssuerUrl { get; set; }

        protected override void ProcessRecord()
        {
            AgentManagedIdentity identity = Identity!;
            // Only trust the role assignment that came with this very identity.
            AgentRoleAssignment? roleAssignment = RoleAssignment != null && ReferenceEquals(RoleAssignment.Identity, identity) ? RoleAssignment : null;
            string? clusterIssuer = identity.Cluster?.IssuerUrl;
            if (IssuerUrl != null && clusterIssuer != null && !string.Equals(IssuerUrl, clusterIssuer, StringComparison.Ordinal))
            {
                if (string.Equals(IssuerUrl.TrimEnd('/'), clusterIssuer.TrimEnd('/'), StringComparison.Ordinal))
                {
                    // Entra ID compares the token's iss with the credential's issuer byte for byte: this one could never match.
                    WriteError(ErrorRecordFactory.Problem(
                        "IssuerUrlTrailingSlashMismatch", ErrorCategory.InvalidArgument,
                        "-IssuerUrl '" + IssuerUrl + "' differs from the issuer '" + clusterIssuer + "' of cluster '" + identity.Cluster!.ClusterName
                        + "' only by the trailing slash: a federated credential with it would never match the cluster's tokens (AADSTS70021). Nothing was written.",
                        identity.ResourceId,
                        "Leave out -IssuerUrl to use the cluster's issuer, or pass it exactly as the cluster reports it: '" + clusterIssuer + "'."));
                    return;
                }

                WriteWarning("-IssuerUrl '" + IssuerUrl + "' replaces the issuer '" + clusterIssuer + "' of cluster '" + identity.Cluster!.ClusterName
                    + "': the credential will trust tokens of '" + IssuerUrl + "', not of that cluster.");
            }

            string? issuer = IssuerUrl ?? clusterIssuer;
            if (issuer == null)
            {
                WriteError(ErrorRecordFactory.Problem(
                    "IssuerUrlMissing", ErrorCategory.InvalidArgument,
                    "No OIDC issuer URL for the federated credential of identity '" + identity.Name + "': the identity carries no cluster with an issuer.",
                    identity.ResourceId,
                    "Pipe Test-AksWorkloadIdentity | New-AgentManagedIdentity into this command, or pass -IssuerUrl exactly as the cluster reports it (trailing slash included)."));
                return;
            }

            string subject = string.Empty;
            if (!TryValidate(() => InputValidator.KubernetesNamespace(Namespace), "Namespace")
                || !TryValidate(() => InputValidator.ServiceAccountName(AgentName, "AgentName"), "ServiceAccountName")
                || !TryValidate(() => subject = InputValidator.Subject(Namespace, AgentName), "Subject")
                || !TryValidate(() => InputValidator.IssuerUrl(issuer), "IssuerUrl")
                || (Name != null && !TryValidate(() => InputValidator.FederatedCredentialName(Name, "Name"), "FederatedCredentialName")))
            {
                return;
            }

            string? name = Name;
            if (name == null && identity.Cluster != null)
            {
                name = AgentSetupWorkflow.DefaultFederatedCredentialName(identity.Cluster.ClusterName, Namespace, AgentName);
            }

            if (identity.ClientId == null)
            {
                WriteObject(Skip(identity, roleAssignment, name, issuer, subject));
                return;
            }

            AgentSetupWorkflow workflow = CreateWorkflow();
            WriteApproval approve = CreateApproval();
            var step = new StepDescription(
                "FederatedCredential",
                "Creating the federated credential for '" + subject + "' on identity '" + identity.Name + "'",
                identity.ResourceId + "/federatedIdentityCredentials/" + (name ?? string.Empty))
            {
                AlreadyDone = ChainNotes.KeptBefore(identity, roleAssignment),
                ResourceGroupFrom = "the identity given by -Identity (" + identity.ResourceId + ")",
                SubscriptionFrom = "the identity given by -Identity (" + identity.ResourceId + ")",
            };
            StepResult<FederatedIdentityCredential>? result = TryStep(step, ct => workflow.EnsureFederatedCredentialAsync(identity.ResourceId, name, issuer, subject, approve, ct));
            if (result == null)
            {
                return;
            }

            FederatedIdentityCredential? credential = result.Resource;
            string action = result.Action.ToString();
            WriteVerbose("Federated credential '" + result.ResourceId + "' (issuer " + issuer + ", subject " + subject + "): " + action + ".");
            if (roleAssignment != null && roleAssignment.Action == "Skipped" && credential != null)
            {
                WriteWarning("The agent's identity '" + identity.Name + "' has no role assignment yet: role '" + roleAssignment.RoleDefinitionName + "' at scope '"
                    + roleAssignment.Scope + "' was skipped, so the agent can sign in but may read nothing. Run the same line again (or New-AgentRoleAssignment) to assign it.");
            }

            WriteObject(Configuration(
                identity, roleAssignment, issuer, subject,
                credential?.Id ?? (result.Action == SetupAction.Skipped ? null : result.ResourceId),
                credential?.Name ?? OutputMapper.LastSegment(result.ResourceId) ?? name ?? string.Empty,
                action));
        }

        /// <summary>
        /// The identity does not exist (-WhatIf or declined): under -WhatIf preview the credential; after a declined
        /// identity there is nothing to ask about, only a verbose line. Either way hand on the configuration so far.
        /// </summary>
        private AgentConfiguration Skip(AgentManagedIdentity identity, AgentRoleAssignment? roleAssignment, string? name, string issuer, string subject)
        {
            string target = identity.ResourceId + "/federatedIdentityCredentials/" + (name ?? "<derived name>");
            if (IsWhatIf)
            {
                ShouldProcess(target, "Create federated credential (issuer " + issuer + ", subject " + subject + ", audience " + AgentDefaults.Audience + ") once the identity exists");
            }
            else
            {
                WriteVerbose("Federated credential '" + target + "': skipped, the identity '" + identity.ResourceId + "' was not created.");
            }

            return Configuration(identity, roleAssignment, issuer, subject, null, name ?? string.Empty, "Skipped");
        }

        private AgentConfiguration Configuration(AgentManagedIdentity identity, AgentRoleAssignment? roleAssignment, string issuer, string subject, string? credentialId, string credentialName, string action)
            => new AgentConfiguration(
                identity.ClientId,
                identity.TenantId ?? ConnectionTenantId(),
                identity.SubscriptionId,
                Namespace,
                AgentName,
                issuer,
                identity.ResourceId,
                roleAssignment?.RoleAssignmentId,
                credentialId,
                credentialName,
                subject,
                AgentDefaults.Audience,
                identity.Action,
                roleAssignment?.Action,
                action)
            {
                // The chained line's output names the same target as New-AgentWorkloadIdentity's, so it pipes into Test-/Repair-/Remove-.
                ClusterName = identity.Cluster?.ClusterName,
                ResourceGroupName = identity.Cluster?.ResourceGroupName,
                IdentityName = identity.Name,
                IdentityResourceGroupName = identity.ResourceGroupName,
                RoleDefinitionName = roleAssignment?.RoleDefinitionName,
                Scope = roleAssignment?.Scope,
            };
    }
}
