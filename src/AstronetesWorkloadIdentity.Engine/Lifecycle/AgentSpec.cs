using System;
using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// What an agent's workload identity should be: one user-assigned identity, one role at one scope, and one or more
    /// federations (clusters x service accounts). Constructing it validates every value, so bad input fails before any call.
    /// </summary>
    public sealed class AgentSpec
    {
        public AgentSpec(string identitySubscriptionId, string identityResourceGroupName, string identityName, string roleDefinitionName, string scope,
            IEnumerable<AgentFederation> federations, string? location = null, IReadOnlyDictionary<string, string>? tags = null)
        {
            InputValidator.SubscriptionId(identitySubscriptionId);
            InputValidator.ResourceGroupName(identityResourceGroupName, "IdentityResourceGroupName");
            InputValidator.IdentityName(identityName);
            InputValidator.RoleDefinitionName(roleDefinitionName);
            InputValidator.Scope(scope);
            if (location != null) InputValidator.Location(location);
            InputValidator.Tags(tags);
            Federations = (federations ?? throw new ArgumentNullException(nameof(federations))).ToList();
            if (Federations.Count == 0) throw new ArgumentException("A spec needs at least one federation.", nameof(federations));
            var duplicate = Federations.GroupBy(f => f.CredentialName, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null) throw new InputValidationException("FederatedCredentialName", duplicate.Key, "one credential name per federation of an identity");
            IdentitySubscriptionId = identitySubscriptionId;
            IdentityResourceGroupName = identityResourceGroupName;
            IdentityName = identityName;
            RoleDefinitionName = roleDefinitionName;
            Scope = scope;
            Location = location == null ? null : InputValidator.NormalizeLocation(location);
            Tags = tags;
        }

        /// <summary>The usual shape: the agents of one cluster on one identity in the cluster's group, Reader on the subscription.</summary>
        public static AgentSpec ForCluster(ClusterRef cluster, IEnumerable<string> agentNames, string identityName, string @namespace = AgentDefaults.Namespace,
            string? identityResourceGroupName = null, string roleDefinitionName = AgentDefaults.RoleDefinitionName, string? scope = null, string? location = null)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            var federations = agentNames.Select(a => new AgentFederation(cluster, @namespace, a)).ToList();
            return new AgentSpec(cluster.SubscriptionId, identityResourceGroupName ?? cluster.ResourceGroupName, identityName, roleDefinitionName,
                scope ?? ArmResourceId.Subscription(cluster.SubscriptionId), federations, location);
        }

        public string IdentitySubscriptionId { get; }
        public string IdentityResourceGroupName { get; }
        public string IdentityName { get; }
        public string IdentityId => ArmResourceId.Identity(IdentitySubscriptionId, IdentityResourceGroupName, IdentityName);
        public string RoleDefinitionName { get; }
        public string Scope { get; }
        /// <summary>Null: the first cluster's location.</summary>
        public string? Location { get; }
        public IReadOnlyDictionary<string, string>? Tags { get; }
        public IReadOnlyList<AgentFederation> Federations { get; }
        public IReadOnlyList<ClusterRef> Clusters => Federations.Select(f => f.Cluster).Distinct().ToList();
    }
}
