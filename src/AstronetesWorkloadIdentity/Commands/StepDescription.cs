using System;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>What an engine step is about, so its errors can say what failed, on what, and what was already kept.</summary>
    internal sealed class StepDescription
    {
        public StepDescription(string noun, string doing, string? targetId)
        {
            Noun = noun;
            Doing = doing;
            TargetId = targetId;
        }

        /// <summary>Prefix of the error ID: Cluster, Identity, RoleAssignment, FederatedCredential, ResourceGroup.</summary>
        public string Noun { get; }
        public string Doing { get; }
        public string? TargetId { get; }
        public string? AlreadyDone { get; set; }
        public Func<ArmException, string?>? RecommendedActionFor { get; set; }
    }
}
