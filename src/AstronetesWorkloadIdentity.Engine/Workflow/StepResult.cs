namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class StepResult<T> where T : class
    {
        internal StepResult(T? resource, SetupAction action, string resourceId)
        {
            Resource = resource;
            Action = action;
            ResourceId = resourceId;
        }

        /// <summary>Null when Skipped.</summary>
        public T? Resource { get; }
        public SetupAction Action { get; }
        /// <summary>The ID written, found, or that would be written.</summary>
        public string ResourceId { get; }
    }
}
