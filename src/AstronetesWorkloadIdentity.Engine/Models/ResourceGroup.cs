namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class ResourceGroup
    {
        internal ResourceGroup(string id, string name, string location)
        {
            Id = id;
            Name = name;
            Location = location;
        }

        public string Id { get; }
        public string Name { get; }
        public string Location { get; }

        public override string ToString() => Id;
    }
}
