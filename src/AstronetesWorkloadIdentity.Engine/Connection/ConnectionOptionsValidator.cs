using System;
using System.IO;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Checks that the options fit the chosen credential before anything is built or sent.</summary>
    internal static class ConnectionOptionsValidator
    {
        public static void Validate(ArmConnectionOptions options)
        {
            if (options.Cloud == null) throw InputValidationException.Missing("Cloud", "to know where Azure Resource Manager is");
            if (options.TenantId != null) InputValidator.TenantId(options.TenantId);
            if (options.SubscriptionId != null) InputValidator.SubscriptionId(options.SubscriptionId);
            if (options.TrustedCertificateThumbprint != null) CertificatePinning.Normalize(options.TrustedCertificateThumbprint);
            if (options.UserAgentApplicationId != null && (options.UserAgentApplicationId.Trim().Length == 0 || options.UserAgentApplicationId.IndexOfAny(new[] { '\r', '\n' }) >= 0))
                throw new InputValidationException("UserAgentApplicationId", options.UserAgentApplicationId, "a non-empty product token such as 'MyTool/1.0', on one line");
            if (options.MaxRetries < 0 || options.MaxRetries > 20)
                throw new InputValidationException("MaxRetries", options.MaxRetries.ToString(), "0-20");
            RequirePositive(options.RetryDelay, "RetryDelay");
            RequirePositive(options.MaxRetryDelay, "MaxRetryDelay");
            RequirePositive(options.NetworkTimeout, "NetworkTimeout");
            RequirePositive(options.MaxRetryTime, "MaxRetryTime");
            RequirePositive(options.PrincipalReplicationTimeout, "PrincipalReplicationTimeout");
            RequirePositive(options.PrincipalReplicationRetryDelay, "PrincipalReplicationRetryDelay");

            switch (options.CredentialKind)
            {
                case CredentialKind.Default:
                    break;
                case CredentialKind.ClientSecret:
                    RequireTenantAndClient(options, "for a client secret");
                    if (string.IsNullOrEmpty(options.ClientSecret)) throw InputValidationException.Missing("ClientSecret", "for a client secret credential");
                    break;
                case CredentialKind.ClientCertificate:
                    RequireTenantAndClient(options, "for a client certificate");
                    if ((options.ClientCertificate == null) == (options.ClientCertificatePath == null))
                        throw new InputValidationException("ClientCertificate", null, "give either a certificate or a certificate path, not both and not neither");
                    if (options.ClientCertificate != null && !options.ClientCertificate.HasPrivateKey)
                        throw new InputValidationException("ClientCertificate", options.ClientCertificate.Thumbprint, "a certificate with its private key");
                    if (options.ClientCertificatePath != null && !File.Exists(options.ClientCertificatePath))
                        throw new InputValidationException("ClientCertificatePath", options.ClientCertificatePath, "the path of an existing PFX or PEM file with the private key");
                    break;
                case CredentialKind.ManagedIdentity:
                    if (options.ClientId != null) InputValidator.TenantId(options.ClientId, "ClientId");
                    break;
                case CredentialKind.AccessToken:
                    if (string.IsNullOrWhiteSpace(options.AccessToken)) throw InputValidationException.Missing("AccessToken", "for an access token credential");
                    break;
                default:
                    throw new InputValidationException("CredentialKind", options.CredentialKind.ToString(), "one of " + string.Join(", ", Enum.GetNames(typeof(CredentialKind))));
            }
        }

        private static void RequireTenantAndClient(ArmConnectionOptions options, string why)
        {
            if (options.TenantId == null) throw InputValidationException.Missing("TenantId", why);
            if (options.ClientId == null) throw InputValidationException.Missing("ClientId", why);
            InputValidator.TenantId(options.ClientId, "ClientId");
        }

        private static void RequirePositive(TimeSpan value, string parameterName)
        {
            if (value <= TimeSpan.Zero) throw new InputValidationException(parameterName, value.ToString(), "a positive duration");
        }
    }
}
