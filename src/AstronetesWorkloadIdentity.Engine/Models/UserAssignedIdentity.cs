using System.Collections.Generic;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class UserAssignedIdentity
    {
        internal UserAssignedIdentity(string id, string name, string location, string subscriptionId, string resourceGroupName,
            IReadOnlyDictionary<string, string> tags, string clientId, string principalId, string tenantId)
        {
            Id = id;
            Name = name;
            Location = location;
            SubscriptionId = subscriptionId;
            ResourceGroupName = resourceGroupName;
            Tags = tags;
            ClientId = clientId;
            PrincipalId = principalId;
            TenantId = tenantId;
        }

        /// <summary>As ARM returns it (with a lower-case <c>resourcegroups</c>); compare IDs case-insensitively.</summary>
        public string Id { get; }
        public string Name { get; }
        public string Location { get; }
        public string SubscriptionId { get; }
        public string ResourceGroupName { get; }
        public IReadOnlyDictionary<string, string> Tags { get; }
        public string ClientId { get; }
        public string PrincipalId { get; }
        public string TenantId { get; }

        public override string ToString() => Id;
    }
}
