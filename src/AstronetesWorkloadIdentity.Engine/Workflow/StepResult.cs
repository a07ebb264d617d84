namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>One step applied on its own (<see cref="AgentSteps"/>): the plan item it applied and what came of it.</summary>
    public sealed class StepResult<T> where T : class
    {
        internal StepResult(PlanItem item, T? resource, SetupAction action, string resourceId)
        {
            Item = item;
            Resource = resource;
            Action = action;
            ResourceId = resourceId;
        }

        /// <summary>What was observed and planned for the step (finding, planned action, the engine's resource ID).</summary>
        public PlanItem Item { get; }
        /// <summary>Null when Skipped.</summary>
        public T? Resource { get; }
        public SetupAction Action { get; }
        /// <summary>The ID written, found, or that would be written.</summary>
        public string ResourceId { get; }
    }
}
