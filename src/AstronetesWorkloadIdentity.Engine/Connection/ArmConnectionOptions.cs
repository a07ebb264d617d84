using System;
using System.Security.Cryptography.X509Certificates;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class ArmConnectionOptions
    {
        public AzureCloudEnvironment Cloud { get; set; } = AzureCloudEnvironment.AzureCloud;
        public string? TenantId { get; set; }
        public string? SubscriptionId { get; set; }
        public CredentialKind CredentialKind { get; set; } = CredentialKind.Default;
        /// <summary>Service principal app ID, or a user-assigned managed identity's client ID.</summary>
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
        public X509Certificate2? ClientCertificate { get; set; }
        public string? ClientCertificatePath { get; set; }
        public string? AccessToken { get; set; }
        /// <summary>Pins the server certificate of a custom endpoint (ARM + authority); never disables validation.</summary>
        public string? TrustedCertificateThumbprint { get; set; }
        /// <summary>e.g. "AstronetesWorkloadIdentity/0.1.0"; defaults to the engine's name and version.</summary>
        public string? UserAgentApplicationId { get; set; }
        public int MaxRetries { get; set; } = 5;
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);
        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
        public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);
        /// <summary>The most time one request may take with its retries and waits (throttling, transient failures); a wait that would pass it is not started.</summary>
        public TimeSpan MaxRetryTime { get; set; } = TimeSpan.FromMinutes(3);
        /// <summary>
        /// How long a role assignment for a new identity is retried while Entra ID has not replicated its principal
        /// (PrincipalNotFound); usually seconds, documented as up to several minutes.
        /// </summary>
        public TimeSpan PrincipalReplicationTimeout { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>The first wait of that retry; later waits double, up to 30 s, with jitter.</summary>
        public TimeSpan PrincipalReplicationRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    }
}
