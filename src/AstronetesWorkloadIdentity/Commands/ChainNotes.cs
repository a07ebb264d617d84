using System.Text;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Says what earlier steps of the pipeline left in place, for errors of a later step: a user who sees only
    /// "failed" would otherwise wonder whether to clean up. Everything is kept and reused by a re-run.
    /// </summary>
    internal static class ChainNotes
    {
        public static string? KeptBefore(AgentManagedIdentity identity, AgentRoleAssignment? roleAssignment = null)
        {
            var note = new StringBuilder();
            if (identity.Action != nameof(SetupAction.Skipped))
            {
                note.Append("The managed identity '").Append(identity.ResourceId).Append("' (").Append(Describe(identity.Action)).Append(") is kept");
            }

            if (roleAssignment != null && roleAssignment.Action != nameof(SetupAction.Skipped) && roleAssignment.RoleAssignmentId != null)
            {
                note.Append(note.Length == 0 ? "The role assignment '" : ", and so is its role assignment '")
                    .Append(roleAssignment.RoleAssignmentId).Append("' (").Append(Describe(roleAssignment.Action)).Append(')');
            }

            if (note.Length == 0)
            {
                return null;
            }

            return note.Append("; re-running the same command reuses it instead of creating another.").ToString();
        }

        // What the step did; an object piped from a variable may come from an earlier command line, so no "this run".
        private static string Describe(string action)
            => action == nameof(SetupAction.Created) ? "created" : action == nameof(SetupAction.Adopted) ? "adopted" : "already existing";
    }
}
