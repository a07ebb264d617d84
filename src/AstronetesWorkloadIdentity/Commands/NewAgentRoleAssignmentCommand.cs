using System.Management.Automation;
using AstronetesWorkloadIdentity.Completion;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Assigns the agent's identity a role (Reader by default, the least the agent needs) at subscription scope
    /// unless told otherwise. An equivalent assignment under any name is adopted, never duplicated.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AgentRoleAssignment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AgentRoleAssignment))]
    public sealed class NewAgentRoleAssignmentCommand : AgentCmdletBase
    {
        /// <summary>The identity from New-AgentManagedIdentity.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public AgentManagedIdentity? Identity { get; set; }

        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BuiltInRoleCompleter))]
        public string RoleDefinitionName { get; set; } = AgentDefaults.RoleDefinitionName;

        /// <summary>Defaults to the identity's subscription, /subscriptions/&lt;id&gt;.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Scope { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (Scope != null) ValidateOrStop(() => InputValidator.Scope(Scope), "Scope");
            ValidateOrStop(() => InputValidator.RoleDefinitionName(RoleDefinitionName), "RoleDefinitionName");
        }

        protected override void ProcessRecord()
        {
            AgentManagedIdentity identity = Identity!;
            string scope = Scope ?? "/subscriptions/" + identity.SubscriptionId;
            // The default scope comes from the piped identity, so it is checked here rather than in BeginProcessing.
            if (!TryValidate(() => InputValidator.Scope(scope), "Scope"))
            {
                return;
            }

            string doing = "Assigning role '" + RoleDefinitionName + "' to identity '" + identity.Name + "' at scope '" + scope + "'";
            if (identity.PrincipalId == null)
            {
                WriteObject(Skip(identity, scope, doing));
                return;
            }

            AgentSetupWorkflow workflow = CreateWorkflow();
            // An identity that came from a -WhatIf step: the line is a preview from there on, so read but write nothing.
            WriteApproval approve = identity.IsPreview && !IsWhatIf ? CreatePreviewApproval(identity.ResourceId) : CreateApproval();
            var step = new StepDescription("RoleAssignment", doing, scope + "/providers/Microsoft.Authorization/roleAssignments")
            {
                AlreadyDone = ChainNotes.KeptBefore(identity),
                // This cmdlet has no -ResourceGroupName or -SubscriptionId: the scope names both.
                ResourceGroupFrom = Scope == null ? "-Scope (by default the identity's subscription)" : "-Scope",
                SubscriptionFrom = Scope == null ? "-Scope (by default the identity's subscription)" : "-Scope",
                RecommendedActionFor = e => e.ErrorCode == "AuthorizationFailed"
                    ? "The caller needs Microsoft.Authorization/roleAssignments/write at scope '" + scope + "': ask for Owner, User Access Administrator or Role Based Access Control Administrator there, then re-run; the identity already created is kept and will be reused."
                    : null,
            };
            StepResult<RoleAssignment>? result = TryStep(step, ct => workflow.EnsureRoleAssignmentAsync(scope, RoleDefinitionName, identity.PrincipalId, approve, ct));
            if (result == null)
            {
                return;
            }

            AgentRoleAssignment assignment = OutputMapper.ToRoleAssignment(result, scope, OutputMapper.RoleName(RoleDefinitionName), identity);
            assignment.IsPreview = IsWhatIf || identity.IsPreview;
            WriteVerbose("Role assignment '" + assignment.RoleDefinitionName + "' at '" + scope + "' for principal " + identity.PrincipalId + ": " + assignment.Action
                + (assignment.RoleAssignmentId == null ? "." : " (" + assignment.RoleAssignmentId + ")."));
            WriteObject(assignment);
        }

        /// <summary>
        /// The identity was not created, so there is no principal to assign to. When it was only previewed (-WhatIf here or on
        /// the step that made it) this step previews too, naming the identity; after a declined identity nothing can happen,
        /// so there is no question to ask, only a verbose line. Either way a Skipped object goes on so the rest of the line still runs.
        /// </summary>
        private AgentRoleAssignment Skip(AgentManagedIdentity identity, string scope, string doing)
        {
            string roleName = OutputMapper.RoleName(RoleDefinitionName);
            string action = "Assign role '" + roleName + "' to the managed identity '" + identity.ResourceId + "' once it exists (principalType ServicePrincipal)";
            bool preview = IsWhatIf || identity.IsPreview;
            if (IsWhatIf)
            {
                ShouldProcess(scope, action);
            }
            else if (identity.IsPreview)
            {
                WriteWhatIfLine(scope, action);
            }
            else
            {
                WriteVerbose(doing + ": skipped, the identity '" + identity.ResourceId + "' was not created.");
            }

            return new AgentRoleAssignment(null, null, scope, roleName, null, null, AgentDefaults.PrincipalType, "Skipped", identity) { IsPreview = preview };
        }
    }
}
