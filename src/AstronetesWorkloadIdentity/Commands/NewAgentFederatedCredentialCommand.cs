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

        /// <summary>The agents' Kubernetes service account names: one credential and one configuration each, in this order.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [Alias("ServiceAccountName")]
        public string[] AgentName { get; set; } = Array.Empty<string>();

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

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            ValidateOrStop(() => InputValidator.KubernetesNamespace(Namespace), "Namespace");
            foreach (string agentName in AgentName)
            {
                ValidateOrStop(() => InputValidator.ServiceAccountName(agentName, "AgentName"), "ServiceAccountName");
                ValidateOrStop(() => InputValidator.Subject(Namespace, agentName), "Subject");
            }

            if (IssuerUrl != null) ValidateOrStop(() => InputValidator.IssuerUrl(IssuerUrl), "IssuerUrl");
            if (Name != null)
            {
                ValidateOrStop(() => InputValidator.FederatedCredentialName(Name, "Name"), "FederatedCredentialName");
                if (AgentName.Length > 1)
                {
                    // One name for several credentials would make each agent overwrite the one before.
                    ThrowTerminatingError(ErrorRecordFactory.Problem(
                        "FederatedCredentialNameWithSeveralAgents", ErrorCategory.InvalidArgument,
                        "-Name '" + Name + "' names one federated credential, but -AgentName gives " + AgentName.Length + " agents (" + string.Join(", ", AgentName) + ").",
                        Name,
                        "Leave out -Name to give each agent its own derived credential name, or run the command once per agent with its own -Name."));
                }
            }
        }

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

            // The cluster's issuer came from ARM through the pipeline: still checked, per identity.
            if (!TryValidate(() => InputValidator.IssuerUrl(issuer), "IssuerUrl"))
            {
                return;
            }

            // ARM rejects concurrent credential writes under one identity, so the agents go one after another, in the order given.
            foreach (string agentName in AgentName)
            {
                Federate(identity, roleAssignment, issuer, agentName);
            }
        }

        private void Federate(AgentManagedIdentity identity, AgentRoleAssignment? roleAssignment, string issuer, string agentName)
        {
            string subject = InputValidator.Subject(Namespace, agentName);
            string? name = Name;
            if (name == null && identity.Cluster != null)
            {
                name = AgentSetupWorkflow.DefaultFederatedCredentialName(identity.Cluster.ClusterName, Namespace, agentName);
            }

            if (identity.ClientId == null)
            {
                WriteObject(Skip(identity, roleAssignment, name, issuer, subject, agentName));
                return;
            }

            AgentSetupWorkflow workflow = CreateWorkflow();
            // An upstream step under -WhatIf makes the line a preview from there on: read, but write nothing.
            bool previewedUpstream = identity.IsPreview || (roleAssignment != null && roleAssignment.IsPreview);
            WriteApproval approve = previewedUpstream && !IsWhatIf ? CreatePreviewApproval(identity.ResourceId) : CreateApproval();
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
            if (roleAssignment != null && roleAssignment.Action == "Skipped" && !roleAssignment.IsPreview && credential != null)
            {
                WriteWarning("The agent's identity '" + identity.Name + "' has no role assignment yet: role '" + roleAssignment.RoleDefinitionName + "' at scope '"
                    + roleAssignment.Scope + "' was skipped, so the agent can sign in but may read nothing. Run the same line again (or New-AgentRoleAssignment) to assign it.");
            }

            WriteObject(Configuration(
                identity, roleAssignment, issuer, subject,
                credential?.Id ?? (result.Action == SetupAction.Skipped ? null : result.ResourceId),
                credential?.Name ?? OutputMapper.LastSegment(result.ResourceId) ?? name ?? string.Empty,
                action,
                agentName));
        }

        /// <summary>
        /// The identity does not exist. When it was only previewed (-WhatIf here or upstream) this step previews too, naming the
        /// identity; after a declined identity there is nothing to ask about, only a verbose line. Either way hand on the configuration so far.
        /// </summary>
        private AgentConfiguration Skip(AgentManagedIdentity identity, AgentRoleAssignment? roleAssignment, string? name, string issuer, string subject, string agentName)
        {
            string target = identity.ResourceId + "/federatedIdentityCredentials/" + (name ?? "<derived name>");
            string action = "Create federated credential (issuer " + issuer + ", subject " + subject + ", audience " + AgentDefaults.Audience
                + ") once the managed identity '" + identity.ResourceId + "' exists";
            if (IsWhatIf)
            {
                ShouldProcess(target, action);
            }
            else if (identity.IsPreview || (roleAssignment != null && roleAssignment.IsPreview))
            {
                WriteWhatIfLine(target, action);
            }
            else
            {
                WriteVerbose("Federated credential '" + target + "': skipped, the identity '" + identity.ResourceId + "' was not created.");
            }

            return Configuration(identity, roleAssignment, issuer, subject, null, name ?? string.Empty, "Skipped", agentName);
        }

        private AgentConfiguration Configuration(AgentManagedIdentity identity, AgentRoleAssignment? roleAssignment, string issuer, string subject, string? credentialId, string credentialName, string action, string agentName)
            => new AgentConfiguration(
                identity.ClientId,
                identity.TenantId ?? ConnectionTenantId(),
                identity.SubscriptionId,
                Namespace,
                agentName,
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
