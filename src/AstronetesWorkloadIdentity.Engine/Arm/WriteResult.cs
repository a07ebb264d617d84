namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class WriteResult<T>
    {
        internal WriteResult(T resource, bool created)
        {
            Resource = resource;
            Created = created;
        }

        public T Resource { get; }
        /// <summary>True for 201 Created, false for 200 (updated in place).</summary>
        public bool Created { get; }
    }
}
