using System;
using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class ItemOutcome
    {
        internal ItemOutcome(PlanItem item, SetupAction action, string resourceId, Exception? error = null)
        {
            Item = item;
            Action = action;
            ResourceId = resourceId;
            Error = error;
        }

        public PlanItem Item { get; }
        public SetupAction Action { get; }
        /// <summary>The resource written, found, deleted, or that would have been written.</summary>
        public string ResourceId { get; }
        /// <summary>Set when <see cref="Action"/> is Failed: ArmException, SetupPreconditionException, ...</summary>
        public Exception? Error { get; }
    }

    /// <summary>What applying a plan did, item by item, and the resources as they stand afterwards.</summary>
    public sealed class ApplyResult
    {
        internal ApplyResult(AgentPlan plan, IReadOnlyList<ItemOutcome> outcomes, UserAssignedIdentity? identity, RoleAssignment? roleAssignment,
            IReadOnlyDictionary<AgentFederation, FederatedIdentityCredential?> credentials)
        {
            Plan = plan;
            Outcomes = outcomes;
            Identity = identity;
            RoleAssignment = roleAssignment;
            Credentials = credentials;
        }

        public AgentPlan Plan { get; }
        /// <summary>One per plan item, in plan order.</summary>
        public IReadOnlyList<ItemOutcome> Outcomes { get; }
        public UserAssignedIdentity? Identity { get; }
        public RoleAssignment? RoleAssignment { get; }
        public IReadOnlyDictionary<AgentFederation, FederatedIdentityCredential?> Credentials { get; }
        public IEnumerable<ItemOutcome> Failures => Outcomes.Where(o => o.Action == SetupAction.Failed);

        public ItemOutcome OutcomeOf(PlanItemKind kind, AgentFederation? federation = null)
            => Outcomes.First(o => o.Item.Kind == kind && (federation == null || ReferenceEquals(o.Item.Federation, federation)));
    }
}
