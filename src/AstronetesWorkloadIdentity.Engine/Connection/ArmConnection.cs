using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// A credential and one HTTP pipeline (auth, retry, telemetry, certificate pinning) shared by every
    /// client created from it. Creating it validates the options and makes no network call; <see cref="SignInAsync"/> does.
    /// </summary>
    public sealed class ArmConnection : IDisposable
    {
        private readonly HttpPipeline _pipeline;
        // Same transport and retries, no credential: for third parties such as an issuer's discovery document.
        private readonly HttpPipeline _anonymousPipeline;
        private readonly IDisposable? _ownedTransport;
        // Per connection, so an api-version fallback found by one client (one cmdlet) serves every later one.
        private readonly ApiVersionNegotiator _apiVersions = new ApiVersionNegotiator();

        // Null when the options named no subscription: then DefaultSubscription is resolved again on each access.
        private readonly ResolvedSubscription? _explicitSubscription;
        private readonly DefaultSubscriptionResolver.CliProfileCache _cliProfile = new DefaultSubscriptionResolver.CliProfileCache();
        // The only subscription the credential could see, found by DiscoverDefaultSubscriptionAsync; the last resort.
        private volatile ResolvedSubscription? _discoveredSubscription;

        private readonly ConnectionContext _context;

        private ArmConnection(ArmConnectionOptions options, HttpPipeline pipeline, HttpPipeline anonymousPipeline, IDisposable? ownedTransport, ConnectionContext context)
        {
            _anonymousPipeline = anonymousPipeline;
            _context = context;
            Cloud = options.Cloud;
            TenantId = options.TenantId;
            CredentialKind = options.CredentialKind;
            ClientId = options.ClientId;
            _explicitSubscription = string.IsNullOrWhiteSpace(options.SubscriptionId) ? null : DefaultSubscriptionResolver.Resolve(options.SubscriptionId);
            _pipeline = pipeline;
            _ownedTransport = ownedTransport;
        }

        public static ArmConnection Create(ArmConnectionOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            ConnectionOptionsValidator.Validate(options);

            // A pinned thumbprint, or any custom endpoint, gets our handler: it trusts the pinned certificate besides the
            // system's validation and records a refused certificate so the error can name it. Public clouds keep
            // Azure.Core's default transport.
            HttpClientTransport? transport = null;
            RejectedCertificateRecorder? recorder = null;
            var pinned = options.TrustedCertificateThumbprint == null ? null : CertificatePinning.Normalize(options.TrustedCertificateThumbprint);
            if (pinned != null || options.Cloud.IsCustom)
            {
                recorder = new RejectedCertificateRecorder();
                transport = new HttpClientTransport(CertificatePinning.CreateHandler(pinned, recorder));
            }
            var credential = new SignInCredential(CredentialFactory.Create(options, transport));

            var pipelineOptions = new ArmPipelineOptions();
            pipelineOptions.Retry.Mode = RetryMode.Exponential;
            pipelineOptions.Retry.MaxRetries = options.MaxRetries;
            pipelineOptions.Retry.Delay = options.RetryDelay;
            pipelineOptions.Retry.MaxDelay = options.MaxRetryDelay;
            pipelineOptions.Retry.NetworkTimeout = options.NetworkTimeout;
            // Azure.Core's retries with jitter, Retry-After, a total-time bound and each wait reported; never a failed TLS handshake.
            pipelineOptions.RetryPolicy = new ArmRetryPolicy(options.MaxRetries, options.RetryDelay, options.MaxRetryDelay, options.MaxRetryTime);
            pipelineOptions.Diagnostics.ApplicationId = options.UserAgentApplicationId ?? DefaultApplicationId();
            if (transport != null) pipelineOptions.Transport = transport;

            var pipeline = HttpPipelineBuilder.Build(
                pipelineOptions,
                Array.Empty<HttpPipelinePolicy>(),
                // The pacer comes first, so a request that waits its turn gets its token after the wait.
                new HttpPipelinePolicy[] { new ThrottlePacer(), new RenewingBearerTokenPolicy(credential, options.Cloud.DefaultScope), ArmCallObserverPolicy.Shared },
                new ResponseClassifier());

            var anonymous = HttpPipelineBuilder.Build(pipelineOptions, Array.Empty<HttpPipelinePolicy>(), new HttpPipelinePolicy[] { ArmCallObserverPolicy.Shared }, new ResponseClassifier());

            return new ArmConnection(options, pipeline, anonymous, transport, new ConnectionContext(options.Cloud, pinned, recorder, options.MaxRetries, RetrySettings.From(options)))
            {
                SignIn = credential,
                Transport = transport,
                PipelineOptions = pipelineOptions,
            };
        }

        // For the exchange check (Exchange/), which talks to the cluster and to Entra ID as the agent over the same transport.
        internal TokenCredential Credential => SignIn;
        private SignInCredential SignIn { get; set; } = null!;

        /// <summary>
        /// Gets the token for Azure Resource Manager now, through the same credential the requests use: a wrong secret,
        /// certificate or pinned thumbprint fails here, and the first request finds its token ready (no second token request).
        /// </summary>
        public async Task SignInAsync(CancellationToken ct)
        {
            try
            {
                await SignIn.SignInAsync(Cloud.DefaultScope, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is OutOfMemoryException))
            {
                throw ArmErrors.FromException(e, Cloud.ResourceManagerEndpoint.AbsoluteUri, _context);
            }
        }

        internal HttpClientTransport? Transport { get; private set; }
        internal ArmPipelineOptions PipelineOptions { get; private set; } = null!;
        internal ConnectionContext Context => _context;
        internal ApiVersionNegotiator ApiVersionNegotiator => _apiVersions;

        public AzureCloudEnvironment Cloud { get; }
        public string? TenantId { get; }
        public CredentialKind CredentialKind { get; }
        public string? ClientId { get; }
        /// <summary>
        /// The options' subscription (fixed for the connection's life), else AZURE_SUBSCRIPTION_ID, else the Azure CLI
        /// default, else the only subscription the credential can see once <see cref="DiscoverDefaultSubscriptionAsync"/>
        /// found it; null if none. Without an explicit one it is resolved again on every access, so setting the variable or
        /// running 'az account set' after connecting takes effect (an environment read and a stat; the profile is parsed
        /// again only when its last-write time or length changed).
        /// </summary>
        public ResolvedSubscription? DefaultSubscription => _explicitSubscription ?? DefaultSubscriptionResolver.Resolve(null, _cliProfile) ?? _discoveredSubscription;

        /// <summary>
        /// When nothing names a subscription, asks ARM which ones the credential can see (as Connect-AzAccount does):
        /// exactly one usable (not Disabled or Deleted) becomes <see cref="DefaultSubscription"/>; with several the caller
        /// lists them to the user. Returns the usable ones. One ARM call, which also signs in.
        /// </summary>
        public async Task<IReadOnlyList<SubscriptionSummary>> DiscoverDefaultSubscriptionAsync(ArmRestClient client, CancellationToken ct)
        {
            if (client == null) throw new ArgumentNullException(nameof(client));
            var usable = (await client.ListSubscriptionsAsync(ct).ConfigureAwait(false))
                .Where(s => InputValidator.IsGuid(s.SubscriptionId) && s.State != "Disabled" && s.State != "Deleted")
                .ToList();
            if (usable.Count == 1)
            {
                var only = usable[0];
                _discoveredSubscription = new ResolvedSubscription(only.SubscriptionId, DefaultSubscriptionResolver.OnlyVisibleSource(only));
            }
            return usable;
        }

        /// <summary>Cheap: one per caller, so each caller's observer sees only its own calls.</summary>
        public ArmRestClient CreateClient(IArmCallObserver? observer = null) => new ArmRestClient(_pipeline, Cloud.ResourceManagerEndpoint, _apiVersions, observer, _context);

        public IssuerDiscoveryClient CreateDiscoveryClient(IArmCallObserver? observer = null) => new IssuerDiscoveryClient(_anonymousPipeline, observer);

        public void Dispose() => _ownedTransport?.Dispose();

        internal static string DefaultApplicationId()
        {
            var assembly = typeof(ArmConnection).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                          ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
            // The SDK appends "+<commit>" to the informational version; the user agent wants the release.
            var plus = version.IndexOf('+');
            return "AstronetesWorkloadIdentity/" + (plus > 0 ? version.Substring(0, plus) : version);
        }
    }
}
