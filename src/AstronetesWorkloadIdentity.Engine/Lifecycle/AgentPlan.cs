using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class AgentPlan
    {
        internal AgentPlan(AgentObservation observation, PlanMode mode, IReadOnlyList<PlanItem> items)
        {
            Observation = observation;
            Mode = mode;
            Items = items;
        }

        public AgentObservation Observation { get; }
        public AgentSpec Spec => Observation.Spec;
        public PlanMode Mode { get; }
        /// <summary>In the order they apply (for removal: credentials, role assignment, identity).</summary>
        public IReadOnlyList<PlanItem> Items { get; }
        public IEnumerable<PlanItem> Writes => Items.Where(i => i.Action == PlanAction.Create || i.Action == PlanAction.Update || i.Action == PlanAction.Delete);
        public IEnumerable<PlanItem> Blocked => Items.Where(i => i.Action == PlanAction.Blocked);
        public bool IsClean => Items.All(i => i.Finding == FindingCode.Ok);
    }
}
