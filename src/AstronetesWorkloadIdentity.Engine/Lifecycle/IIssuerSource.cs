using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Where a cluster's OIDC issuer comes from: the one seam between "a cluster" and "an issuer URL". AKS reads it from
    /// ARM (<see cref="AksIssuerSource"/>); an Arc-enabled or self-managed cluster would read its discovery document instead.
    /// </summary>
    public interface IIssuerSource
    {
        Task<ClusterIssuer> ObserveAsync(ClusterRef cluster, CancellationToken ct);
    }

    /// <summary>The AKS issuer: the managed cluster's oidcIssuerProfile, exactly as ARM reports it.</summary>
    public sealed class AksIssuerSource : IIssuerSource
    {
        private readonly ArmRestClient _client;

        public AksIssuerSource(ArmRestClient client) => _client = client ?? throw new System.ArgumentNullException(nameof(client));

        public async Task<ClusterIssuer> ObserveAsync(ClusterRef cluster, CancellationToken ct)
        {
            var managed = await _client.GetManagedClusterAsync(cluster.SubscriptionId, cluster.ResourceGroupName, cluster.Name, ct).ConfigureAwait(false);
            return ClusterIssuer.FromManagedCluster(cluster, managed);
        }
    }
}
