using System;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class ArmConnection : IDisposable
    {
        private ArmConnection(ArmConnectionOptions options)
        {
            Cloud = options.Cloud;
            TenantId = options.TenantId;
            CredentialKind = options.CredentialKind;
            ClientId = options.ClientId;
        }

        /// <summary>Validates (InputValidationException), builds the credential and the pipeline; no network call.</summary>
        public static ArmConnection Create(ArmConnectionOptions options) => throw new NotImplementedException();

        public AzureCloudEnvironment Cloud { get; }
        public string? TenantId { get; }
        public CredentialKind CredentialKind { get; }
        public string? ClientId { get; }
        public ResolvedSubscription? DefaultSubscription { get; }

        public ArmRestClient CreateClient(IArmCallObserver? observer = null) => throw new NotImplementedException();

        public void Dispose() { }
    }
}
