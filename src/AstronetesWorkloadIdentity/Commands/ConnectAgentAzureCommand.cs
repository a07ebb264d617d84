using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using AstronetesWorkloadIdentity.Completion;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;
using AstronetesWorkloadIdentity.Session;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Sets this runspace's cloud, tenant, default subscription and credential. No network call: the first ARM
    /// call signs in, so connecting offline or ahead of time works and errors surface where they matter.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "AgentAzure", DefaultParameterSetName = DefaultCredentialSet)]
    [OutputType(typeof(AgentAzureContext))]
    public sealed class ConnectAgentAzureCommand : AgentCmdletBase
    {
        public const string DefaultCredentialSet = "DefaultCredential";
        public const string ServicePrincipalSecretSet = "ServicePrincipalSecret";
        public const string ServicePrincipalThumbprintSet = "ServicePrincipalCertificateThumbprint";
        public const string ServicePrincipalCertificateFileSet = "ServicePrincipalCertificatePath";
        public const string ManagedIdentitySet = "ManagedIdentity";
        public const string AccessTokenSet = "AccessToken";

        /// <summary>A named Azure cloud; use -ArmEndpoint and -AuthorityHost for any other endpoint.</summary>
        [Parameter]
        [ValidateSet("AzureCloud", "AzureChinaCloud", "AzureUSGovernment", IgnoreCase = true)]
        public string? Environment { get; set; }

        /// <summary>A custom ARM endpoint (such as the emulator); needs -AuthorityHost.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? ArmEndpoint { get; set; }

        /// <summary>The token authority of the custom endpoint.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? AuthorityHost { get; set; }

        /// <summary>Pins the custom endpoint's server certificate by thumbprint (a self-signed certificate, for instance).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TrustedCertificateThumbprint { get; set; }

        [Parameter(ParameterSetName = DefaultCredentialSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalSecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalCertificateFileSet)]
        [ValidateNotNullOrEmpty]
        public string? TenantId { get; set; }

        /// <summary>The default subscription for the other cmdlets; otherwise AZURE_SUBSCRIPTION_ID or the Azure CLI's default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SubscriptionIdCompleter))]
        public string? SubscriptionId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalSecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalCertificateFileSet)]
        public SwitchParameter ServicePrincipal { get; set; }

        /// <summary>User name = the application (client) ID, password = the client secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalSecretSet)]
        [ValidateNotNull]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The application ID of a service principal with a certificate, or the client ID of a user-assigned managed identity.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalCertificateFileSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [ValidateNotNullOrEmpty]
        public string? ClientId { get; set; }

        /// <summary>A certificate with its private key in the CurrentUser or LocalMachine 'My' store.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalThumbprintSet)]
        [ValidateNotNullOrEmpty]
        public string? CertificateThumbprint { get; set; }

        /// <summary>A PEM or PFX file holding the certificate and its private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalCertificateFileSet)]
        [ValidateNotNullOrEmpty]
        public string? CertificatePath { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
        public SwitchParameter ManagedIdentity { get; set; }

        /// <summary>A bearer token for ARM obtained elsewhere; it is not refreshed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        protected override void ProcessRecord()
        {
            ArmConnectionOptions options;
            try
            {
                options = BuildOptions();
            }
            catch (InputValidationException e)
            {
                // Engine rules name engine options (AzureCloudEnvironment.Custom says ResourceManagerEndpoint): say the parameter.
                ThrowTerminatingError(ErrorRecordFactory.FromValidation(e, parameterName: ParameterFor(e.ParamName)));
                return;
            }

            ArmConnection connection;
            try
            {
                connection = ArmConnection.Create(options);
            }
            catch (InputValidationException e)
            {
                ThrowTerminatingError(ErrorRecordFactory.FromValidation(e, parameterName: ParameterFor(e.ParamName)));
                return;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // E.g. an unreadable certificate file: the connection cannot be used at all.
                ThrowTerminatingError(ErrorRecordFactory.FromUnexpected(e, "Connection", "Connecting to " + options.Cloud.Name, CertificatePath));
                return;
            }

            // A credential the user handed over signs in now, as Connect-AzAccount does: a wrong secret, certificate or pinned
            // thumbprint fails here, the previous connection (if any) stays, and the first command finds its token ready.
            // The default chain stays as documented: recorded now, resolved by the first command (az login may come later).
            if (options.CredentialKind != CredentialKind.Default && !SignIn(connection, options))
            {
                return;
            }

            var session = new AgentSession(connection, AuthorityHost?.AbsoluteUri, isDefault: false);
            AgentSessionStore.Set(CurrentRunspace, session);
            ReportSubscription(connection.DefaultSubscription ?? DiscoverSubscription());
            WriteObject(session.ToContext());
        }

        /// <summary>Gets the ARM token now; false (the error written as terminating) when that fails.</summary>
        private bool SignIn(ArmConnection connection, ArmConnectionOptions options)
        {
            WriteVerbose("Signing in to " + options.Cloud.Name + " at " + options.Cloud.AuthorityHost.AbsoluteUri + ".");
            try
            {
                Await(async ct =>
                {
                    await connection.SignInAsync(ct).ConfigureAwait(false);
                    return true;
                });
                return true;
            }
            catch (ArmException e)
            {
                connection.Dispose();
                ThrowTerminatingError(ErrorRecordFactory.FromArm(e, "SignIn", "Signing in to " + options.Cloud.Name, options.Cloud.AuthorityHost.AbsoluteUri,
                    alreadyDone: "Nothing was changed: the previous connection, if any, is still in use."));
                return false;
            }
            catch (PipelineStoppedException)
            {
                connection.Dispose();
                throw;
            }
        }

        private ArmConnectionOptions BuildOptions()
        {
            var options = new ArmConnectionOptions
            {
                Cloud = ChooseCloud(),
                TenantId = TenantId,
                SubscriptionId = SubscriptionId,
                TrustedCertificateThumbprint = TrustedCertificateThumbprint,
                UserAgentApplicationId = ModuleInfo.UserAgent,
            };
            if (TenantId != null) InputValidator.TenantId(TenantId);
            if (SubscriptionId != null) InputValidator.SubscriptionId(SubscriptionId);

            switch (ParameterSetName)
            {
                case ServicePrincipalSecretSet:
                    NetworkCredential secret = Credential!.GetNetworkCredential();
                    options.CredentialKind = CredentialKind.ClientSecret;
                    options.ClientId = Credential.UserName;
                    options.ClientSecret = secret.Password;
                    InputValidator.SubscriptionId(Credential.UserName, "Credential"); // an application ID is a GUID too
                    break;
                case ServicePrincipalThumbprintSet:
                    options.CredentialKind = CredentialKind.ClientCertificate;
                    options.ClientId = ClientId;
                    options.ClientCertificate = CertificateStoreLookup.Find(CertificateThumbprint!);
                    break;
                case ServicePrincipalCertificateFileSet:
                    options.CredentialKind = CredentialKind.ClientCertificate;
                    options.ClientId = ClientId;
                    options.ClientCertificatePath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath);
                    break;
                case ManagedIdentitySet:
                    options.CredentialKind = CredentialKind.ManagedIdentity;
                    options.ClientId = ClientId;
                    break;
                case AccessTokenSet:
                    options.CredentialKind = CredentialKind.AccessToken;
                    options.AccessToken = new NetworkCredential(string.Empty, AccessToken).Password;
                    break;
            }

            return options;
        }

        private AzureCloudEnvironment ChooseCloud()
        {
            bool custom = ArmEndpoint != null || AuthorityHost != null;
            if (custom && Environment != null)
            {
                throw new InputValidationException("Environment", Environment, "left out when -ArmEndpoint and -AuthorityHost name a custom cloud");
            }

            if (custom)
            {
                if (ArmEndpoint == null) ThrowMissing("ArmEndpoint", "AuthorityHost", "the custom cloud's Azure Resource Manager endpoint");
                if (AuthorityHost == null) ThrowMissing("AuthorityHost", "ArmEndpoint", "the custom cloud's token authority, such as https://login.microsoftonline.com/");
                return AzureCloudEnvironment.Custom(ArmEndpoint!, AuthorityHost!);
            }

            if (TrustedCertificateThumbprint != null)
            {
                throw new InputValidationException("TrustedCertificateThumbprint", TrustedCertificateThumbprint, "used only with a custom -ArmEndpoint; the public clouds are trusted through the system's roots");
            }

            return AzureCloudEnvironment.FromName(Environment ?? "AzureCloud");
        }

        /// <summary>A custom cloud needs both endpoints: the missing one is required, not invalid.</summary>
        private void ThrowMissing(string missing, string given, string what)
        {
            ThrowTerminatingError(ErrorRecordFactory.Problem(
                missing + "Missing",
                ErrorCategory.InvalidArgument,
                "-" + missing + " is required with -" + given + ": a custom cloud needs " + what + ".",
                missing,
                "Pass -" + missing + " as well, or leave out -" + given + " and choose a cloud with -Environment."));
        }

        /// <summary>The engine names its options; the user typed parameters, so the error should name those.</summary>
        private static string? ParameterFor(string? engineOption)
        {
            switch (engineOption)
            {
                case "ClientCertificatePath": return "CertificatePath";
                case "ClientCertificate": return "CertificateThumbprint";
                case "ClientSecret": return "Credential";
                case "ResourceManagerEndpoint": return "ArmEndpoint";
                case "Cloud": return "Environment";
                default: return null;
            }
        }

        private void ReportSubscription(ResolvedSubscription? subscription)
        {
            if (subscription == null)
            {
                WriteWarning("No default subscription." + DescribeVisible(VisibleSubscriptions)
                    + " Pass -SubscriptionId here or to each command, set AZURE_SUBSCRIPTION_ID, or choose one with 'az account set'.");
                return;
            }

            WriteVerbose("Default subscription " + subscription.SubscriptionId + " from " + subscription.Source + ".");
        }
    }
}
