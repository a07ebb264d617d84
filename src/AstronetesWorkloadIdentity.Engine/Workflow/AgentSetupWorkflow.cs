using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class AgentSetupWorkflow
    {
        private readonly ArmRestClient _client;

        public AgentSetupWorkflow(ArmRestClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        public Task<ClusterReadiness> CheckClusterAsync(string subscriptionId, string resourceGroupName, string clusterName, CancellationToken ct) => throw new NotImplementedException();
        public Task<StepResult<UserAssignedIdentity>> EnsureIdentityAsync(string subscriptionId, string resourceGroupName, string name, string location, IReadOnlyDictionary<string, string>? tags, WriteApproval approve, CancellationToken ct) => throw new NotImplementedException();
        public Task<StepResult<RoleAssignment>> EnsureRoleAssignmentAsync(string scope, string roleDefinitionName, string principalId, WriteApproval approve, CancellationToken ct) => throw new NotImplementedException();
        public Task<StepResult<FederatedIdentityCredential>> EnsureFederatedCredentialAsync(string identityId, string? name, string issuer, string subject, WriteApproval approve, CancellationToken ct) => throw new NotImplementedException();
        public static string RoleAssignmentName(string scope, string roleDefinitionId, string principalId) => throw new NotImplementedException();
        public static string DefaultFederatedCredentialName(string clusterName, string serviceAccountName) => throw new NotImplementedException();
    }
}
