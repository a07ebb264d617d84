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

        /// <summary>"failed"; "would fail" for a -WhatIf preview, which was not doing anything, only reading.</summary>
        public string Outcome { get; set; } = "failed";
        public Func<ArmException, string?>? RecommendedActionFor { get; set; }

        /// <summary>Failures that are an answer rather than a problem (a missing cluster under -Quiet): a verbose line, no error.</summary>
        public Func<ArmException, bool>? IsAnswer { get; set; }

        /// <summary>
        /// The parameters of the failing cmdlet that chose the resource group and subscription, as advice names them
        /// ("-ResourceGroupName and -SubscriptionId", "-Scope"); advice must never name a parameter the cmdlet lacks.
        /// </summary>
        public string ResourceGroupFrom { get; set; } = "-ResourceGroupName and -SubscriptionId";

        /// <summary>The parameter(s) of the failing cmdlet that chose the subscription.</summary>
        public string SubscriptionFrom { get; set; } = "-SubscriptionId";
    }
}
