using System.Collections.Generic;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// One part of the setup: what was found (<see cref="Findings"/>, first one the most important) and what the plan does
    /// about it. <see cref="ResourceId"/> is the resource found, or the one that would be written.
    /// </summary>
    public sealed class PlanItem
    {
        internal PlanItem(PlanItemKind kind, string resourceId, PlanAction action, IReadOnlyList<FindingCode> findings, string detail,
            AgentFederation? federation = null, ClusterRef? cluster = null, string? operation = null)
        {
            Kind = kind;
            ResourceId = resourceId;
            Action = action;
            Findings = findings.Count == 0 ? new[] { FindingCode.Ok } : findings;
            Detail = detail;
            Federation = federation;
            Cluster = cluster ?? federation?.Cluster;
            Operation = operation;
        }

        public PlanItemKind Kind { get; }
        public string ResourceId { get; }
        public PlanAction Action { get; }
        public FindingCode Finding => Findings[0];
        public IReadOnlyList<FindingCode> Findings { get; }
        public bool Has(FindingCode code)
        {
            foreach (var f in Findings) if (f == code) return true;
            return false;
        }

        /// <summary>The observed facts behind the findings, in plain words (no advice: that is the caller's).</summary>
        public string Detail { get; }
        /// <summary>Set on credential and discovery items.</summary>
        public AgentFederation? Federation { get; }
        /// <summary>Set on cluster, credential and discovery items.</summary>
        public ClusterRef? Cluster { get; }

        /// <summary>
        /// The write the item stands for, in words (set on the step cmdlets' items): what ShouldProcess asks and what a
        /// "What if:" line previews, so the question and the preview say the same thing.
        /// </summary>
        public string? Operation { get; }

        public override string ToString() => Kind + " " + Action + " " + Finding + " " + ResourceId;
    }
}
