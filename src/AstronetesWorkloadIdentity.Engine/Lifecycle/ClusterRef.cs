using System;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Which cluster an agent runs on. Only AKS today; the issuer comes from <see cref="IIssuerSource"/>, not from here.</summary>
    public sealed class ClusterRef : IEquatable<ClusterRef>
    {
        public ClusterRef(string subscriptionId, string resourceGroupName, string name)
        {
            InputValidator.SubscriptionId(subscriptionId);
            InputValidator.ResourceGroupName(resourceGroupName);
            InputValidator.ClusterName(name);
            SubscriptionId = subscriptionId;
            ResourceGroupName = resourceGroupName;
            Name = name;
        }

        public string SubscriptionId { get; }
        public string ResourceGroupName { get; }
        public string Name { get; }
        public string Id => ArmResourceId.ManagedCluster(SubscriptionId, ResourceGroupName, Name);

        public bool Equals(ClusterRef? other) => other != null && ArmResourceId.AreEqual(Id, other.Id);
        public override bool Equals(object? obj) => Equals(obj as ClusterRef);
        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Id);
        public override string ToString() => Id;
    }
}
