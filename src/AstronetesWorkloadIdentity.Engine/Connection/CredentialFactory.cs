using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Builds the Azure.Identity credential for validated options, sharing the connection's transport.</summary>
    internal static class CredentialFactory
    {
        public static TokenCredential Create(ArmConnectionOptions options, HttpPipelineTransport? transport)
        {
            switch (options.CredentialKind)
            {
                case CredentialKind.ClientSecret:
                    return new ClientSecretCredential(options.TenantId, options.ClientId, options.ClientSecret, Configure(new ClientSecretCredentialOptions(), options, transport));
                case CredentialKind.ClientCertificate:
                    var certificateOptions = Configure(new ClientCertificateCredentialOptions(), options, transport);
                    return options.ClientCertificate != null
                        ? new ClientCertificateCredential(options.TenantId, options.ClientId, options.ClientCertificate, certificateOptions)
                        : new ClientCertificateCredential(options.TenantId, options.ClientId, options.ClientCertificatePath, certificateOptions);
                case CredentialKind.ManagedIdentity:
                    var id = options.ClientId == null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(options.ClientId);
                    return new ManagedIdentityCredential(Configure(new ManagedIdentityCredentialOptions(id), options, transport));
                case CredentialKind.AccessToken:
                    return new StaticTokenCredential(options.AccessToken!);
                default:
                    return new DefaultAzureCredential(DefaultOptions(options, transport));
            }
        }

        private static DefaultAzureCredentialOptions DefaultOptions(ArmConnectionOptions options, HttpPipelineTransport? transport)
        {
            var result = Configure(new DefaultAzureCredentialOptions(), options, transport);
            // Only what works unattended in a shell, a pipeline or a pod; no browser or IDE prompts.
            result.ExcludeInteractiveBrowserCredential = true;
            result.ExcludeVisualStudioCredential = true;
            result.ExcludeVisualStudioCodeCredential = true;
            result.ExcludeAzureDeveloperCliCredential = true;
            result.ExcludeBrokerCredential = true;
            if (options.TenantId != null) result.TenantId = options.TenantId;
            if (options.ClientId != null)
            {
                result.ManagedIdentityClientId = options.ClientId;
                result.WorkloadIdentityClientId = options.ClientId;
            }
            result.DisableInstanceDiscovery = options.Cloud.IsCustom;
            return result;
        }

        private static T Configure<T>(T credentialOptions, ArmConnectionOptions options, HttpPipelineTransport? transport) where T : TokenCredentialOptions
        {
            credentialOptions.AuthorityHost = options.Cloud.AuthorityHost;
            if (transport != null) credentialOptions.Transport = transport;
            credentialOptions.Retry.MaxRetries = options.MaxRetries;
            credentialOptions.Retry.Delay = options.RetryDelay;
            credentialOptions.Retry.MaxDelay = options.MaxRetryDelay;
            credentialOptions.Retry.NetworkTimeout = options.NetworkTimeout;
            // As on the ARM pipeline: a token endpoint whose certificate is not trusted is not retried.
            credentialOptions.RetryPolicy = new ArmRetryPolicy(options.MaxRetries, options.RetryDelay, options.MaxRetryDelay, options.MaxRetryTime);
            // An authority that is not Entra ID's public one cannot answer instance discovery.
            switch (credentialOptions)
            {
                case ClientSecretCredentialOptions secret: secret.DisableInstanceDiscovery = options.Cloud.IsCustom; break;
                case ClientCertificateCredentialOptions certificate: certificate.DisableInstanceDiscovery = options.Cloud.IsCustom; break;
            }
            return credentialOptions;
        }
    }
}
