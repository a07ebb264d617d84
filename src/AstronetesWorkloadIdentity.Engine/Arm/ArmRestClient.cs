using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class ArmRestClient
    {
        internal ArmRestClient() { }

        public Task<ManagedCluster> GetManagedClusterAsync(string subscriptionId, string resourceGroupName, string clusterName, CancellationToken ct) => throw new NotImplementedException();
        public Task<ResourceGroup> GetResourceGroupAsync(string subscriptionId, string resourceGroupName, CancellationToken ct) => throw new NotImplementedException();
        public Task<UserAssignedIdentity?> GetIdentityAsync(string subscriptionId, string resourceGroupName, string name, CancellationToken ct) => throw new NotImplementedException();
        public Task<WriteResult<UserAssignedIdentity>> CreateOrUpdateIdentityAsync(string subscriptionId, string resourceGroupName, string name, string location, IReadOnlyDictionary<string, string>? tags, CancellationToken ct) => throw new NotImplementedException();
        public Task<bool> DeleteIdentityAsync(string subscriptionId, string resourceGroupName, string name, CancellationToken ct) => throw new NotImplementedException();
        public Task<IReadOnlyList<UserAssignedIdentity>> ListIdentitiesAsync(string subscriptionId, string? resourceGroupName, CancellationToken ct) => throw new NotImplementedException();
        public Task<FederatedIdentityCredential?> GetFederatedCredentialAsync(string identityId, string name, CancellationToken ct) => throw new NotImplementedException();
        public Task<WriteResult<FederatedIdentityCredential>> CreateOrUpdateFederatedCredentialAsync(string identityId, string name, string issuer, string subject, string audience, CancellationToken ct) => throw new NotImplementedException();
        public Task<bool> DeleteFederatedCredentialAsync(string identityId, string name, CancellationToken ct) => throw new NotImplementedException();
        public Task<IReadOnlyList<FederatedIdentityCredential>> ListFederatedCredentialsAsync(string identityId, CancellationToken ct) => throw new NotImplementedException();
        public Task<RoleAssignment?> GetRoleAssignmentAsync(string scope, string name, CancellationToken ct) => throw new NotImplementedException();
        public Task<WriteResult<RoleAssignment>> CreateRoleAssignmentAsync(string scope, string name, string roleDefinitionId, string principalId, string principalType, CancellationToken ct) => throw new NotImplementedException();
        public Task<bool> DeleteRoleAssignmentAsync(string scope, string name, CancellationToken ct) => throw new NotImplementedException();
        public Task<IReadOnlyList<RoleAssignment>> ListRoleAssignmentsAsync(string scope, string? filter, CancellationToken ct) => throw new NotImplementedException();
        public Task<IReadOnlyList<RoleDefinition>> ListRoleDefinitionsByNameAsync(string scope, string roleName, CancellationToken ct) => throw new NotImplementedException();
    }
}
