using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AstronetesWorkloadIdentity.Engine.Kubernetes;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine.Exchange
{
    /// <summary>
    /// Proves the agent's chain before any pod does: cluster credentials from ARM, the API server (its CA verified), the
    /// agent's service account, a TokenRequest for it, the exchange at Entra ID as the agent, a read at the role
    /// assignment's scope as the agent, and the pod side (annotation, label, webhook mutation). One result per check;
    /// a check that cannot run because an earlier one failed is not reported. No token reaches a result or progress.
    /// </summary>
    public sealed class ExchangeCheck
    {
        public const string ClientIdAnnotation = "azure.workload.identity/client-id";
        public const string TenantIdAnnotation = "azure.workload.identity/tenant-id";
        public const string UseLabel = "azure.workload.identity/use";
        /// <summary>The shortest token the TokenRequest API issues: the check needs it for seconds.</summary>
        public const int TokenSeconds = 600;
        private static readonly string[] InjectedEnv = { "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE" };
        private const string TokenVolume = "azure-identity-token";

        private readonly ArmConnection _connection;
        private readonly IArmCallObserver? _observer;

        public ExchangeCheck(ArmConnection connection, IArmCallObserver? observer = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _observer = observer;
        }

        public async Task<IReadOnlyList<ExchangeCheckResult>> RunAsync(ExchangeCheckSpec spec, WriteApproval? approve = null,
            IProgress<ExchangeProgress>? progress = null, CancellationToken ct = default)
        {
            Validate(spec);
            var results = new List<ExchangeCheckResult>();
            var kubeconfig = await ClusterCredentialsAsync(spec, results, ct).ConfigureAwait(false);
            if (kubeconfig == null) return results;
            using var kube = KubeApiClient.Create(kubeconfig, _connection.Credential);
            if (!await ApiServerAsync(kube, kubeconfig, spec, results, ct).ConfigureAwait(false)) return results;
            var sa = await ServiceAccountAsync(kube, spec, approve, results, ct).ConfigureAwait(false);
            if (sa == null) return results;
            var token = await ServiceAccountTokenAsync(kube, spec, results, ct).ConfigureAwait(false);
            if (token != null)
            {
                var agent = await TokenExchangeAsync(token, spec, progress, results, ct).ConfigureAwait(false);
                if (agent?.AccessToken != null) await ArmAsAgentAsync(agent.AccessToken, spec, progress, results, ct).ConfigureAwait(false);
            }
            results.Add(Annotation(sa, spec));
            results.Add(await PodsAsync(kube, spec, ct).ConfigureAwait(false));
            return results;
        }

        private static void Validate(ExchangeCheckSpec spec)
        {
            if (spec == null) throw new ArgumentNullException(nameof(spec));
            InputValidator.SubscriptionId(spec.SubscriptionId);
            InputValidator.ResourceGroupName(spec.ResourceGroupName);
            InputValidator.ClusterName(spec.ClusterName);
            InputValidator.TenantId(spec.TenantId, "TenantId");
            InputValidator.TenantId(spec.IdentityClientId, "ClientId");
            InputValidator.Scope(spec.Scope);
            InputValidator.KubernetesNamespace(spec.Namespace);
            InputValidator.ServiceAccountName(spec.ServiceAccountName);
            if (spec.PropagationBound < TimeSpan.Zero) throw new InputValidationException("PropagationBound", spec.PropagationBound.ToString(), "zero or more");
        }

        private async Task<Kubeconfig?> ClusterCredentialsAsync(ExchangeCheckSpec spec, List<ExchangeCheckResult> results, CancellationToken ct)
        {
            var operation = spec.Admin ? "listClusterAdminCredential" : "listClusterUserCredential";
            string yaml;
            try
            {
                yaml = await _connection.CreateClient(_observer).ListClusterCredentialAsync(spec.SubscriptionId, spec.ResourceGroupName, spec.ClusterName, spec.Admin, ct).ConfigureAwait(false);
            }
            catch (ArmException e)
            {
                var fix = e.Status == 403
                    ? $"The signed-in account needs Microsoft.ContainerService/managedClusters/{operation}/action on the cluster (Azure Kubernetes Service Cluster {(spec.Admin ? "Admin" : "User")} Role)."
                    : e.Status == 404 ? "Check the cluster's name and resource group." : null;
                results.Add(new ExchangeCheckResult(ExchangeChecks.ClusterCredentials, CheckOutcome.Fail, $"{operation}: {e.Status} {e.ErrorCode}: {e.ArmMessage}", fix));
                return null;
            }
            try
            {
                var config = Kubeconfig.Parse(yaml);
                var credential = config.CredentialKind == KubeCredentialKind.EntraId
                    ? $"an Entra ID token for the AKS server application {config.EntraServerId} (in place of kubelogin)"
                    : config.CredentialKind == KubeCredentialKind.Token ? "the kubeconfig's token" : "a client certificate";
                results.Add(new ExchangeCheckResult(ExchangeChecks.ClusterCredentials, CheckOutcome.Pass,
                    $"{operation}: API server {config.Server}, certificate authority from the kubeconfig, signing in with {credential}."));
                return config;
            }
            catch (KubeconfigException e)
            {
                results.Add(new ExchangeCheckResult(ExchangeChecks.ClusterCredentials, CheckOutcome.Fail, $"{operation}: {e.Message}",
                    spec.Admin ? null : "Try -Admin (listClusterAdminCredential) if local accounts are enabled."));
                return null;
            }
        }

        private static async Task<bool> ApiServerAsync(KubeApiClient kube, Kubeconfig config, ExchangeCheckSpec spec, List<ExchangeCheckResult> results, CancellationToken ct)
        {
            try
            {
                await kube.GetNamespaceAsync(spec.Namespace, ct).ConfigureAwait(false);
                results.Add(new ExchangeCheckResult(ExchangeChecks.ApiServer, CheckOutcome.Pass,
                    $"{config.Server} answered over TLS verified against the kubeconfig's certificate authority; namespace '{spec.Namespace}' exists."));
                return true;
            }
            catch (KubernetesApiException e)
            {
                var fix = e.Reason == "NotFound" ? $"Install the Astronetes operator, which creates namespace '{spec.Namespace}', or pass -Namespace."
                    : e.Reason == "CertificateUntrusted" ? "Fetch fresh credentials: the cluster's certificate authority may have been rotated."
                    : e.Status == 401 || e.Status == 403 ? "The kubeconfig's user may not read namespaces; try -Admin." : null;
                results.Add(new ExchangeCheckResult(ExchangeChecks.ApiServer, CheckOutcome.Fail, Describe(e), fix));
                return false;
            }
        }

        private static async Task<KubeServiceAccount?> ServiceAccountAsync(KubeApiClient kube, ExchangeCheckSpec spec, WriteApproval? approve,
            List<ExchangeCheckResult> results, CancellationToken ct)
        {
            var target = $"serviceaccount/{spec.ServiceAccountName} in namespace {spec.Namespace} on cluster {spec.ClusterName}";
            try
            {
                var sa = await kube.GetServiceAccountAsync(spec.Namespace, spec.ServiceAccountName, ct).ConfigureAwait(false);
                if (sa != null)
                {
                    results.Add(new ExchangeCheckResult(ExchangeChecks.ServiceAccount, CheckOutcome.Pass, $"Service account {spec.Namespace}/{spec.ServiceAccountName} exists."));
                    return sa;
                }
                if (!spec.CreateServiceAccount || approve?.Invoke(target, "Create service account with annotation " + ClientIdAnnotation + "=" + spec.IdentityClientId) == false)
                {
                    results.Add(new ExchangeCheckResult(ExchangeChecks.ServiceAccount, CheckOutcome.Fail,
                        $"Service account {spec.Namespace}/{spec.ServiceAccountName} does not exist: the agent has not been deployed yet.",
                        "Deploy the agent, or run the check with -CreateServiceAccount to create the service account with its client-id annotation."));
                    return null;
                }
                var annotations = new Dictionary<string, string> { [ClientIdAnnotation] = spec.IdentityClientId, [TenantIdAnnotation] = spec.TenantId };
                sa = await kube.CreateServiceAccountAsync(spec.Namespace, spec.ServiceAccountName, annotations, ct).ConfigureAwait(false);
                results.Add(new ExchangeCheckResult(ExchangeChecks.ServiceAccount, CheckOutcome.Pass,
                    $"Service account {spec.Namespace}/{spec.ServiceAccountName} was missing and has been created with {ClientIdAnnotation}={spec.IdentityClientId}."));
                return sa;
            }
            catch (KubernetesApiException e)
            {
                results.Add(new ExchangeCheckResult(ExchangeChecks.ServiceAccount, CheckOutcome.Fail, Describe(e),
                    e.Status == 403 ? "The kubeconfig's user may not read or create service accounts here; try -Admin." : null));
                return null;
            }
        }

        private static async Task<KubeServiceAccountToken?> ServiceAccountTokenAsync(KubeApiClient kube, ExchangeCheckSpec spec, List<ExchangeCheckResult> results, CancellationToken ct)
        {
            try
            {
                var token = await kube.RequestTokenAsync(spec.Namespace, spec.ServiceAccountName, AgentDefaults.Audience, TokenSeconds, ct).ConfigureAwait(false);
                results.Add(new ExchangeCheckResult(ExchangeChecks.ServiceAccountToken, CheckOutcome.Pass, $"TokenRequest issued a {TokenSeconds / 60}-minute token: {token.Claims}."));
                return token;
            }
            catch (KubernetesApiException e)
            {
                results.Add(new ExchangeCheckResult(ExchangeChecks.ServiceAccountToken, CheckOutcome.Fail, "TokenRequest: " + Describe(e),
                    e.Status == 403 ? "The kubeconfig's user may not create serviceaccounts/token; try -Admin." : null));
                return null;
            }
        }

        private async Task<EntraExchangeResult?> TokenExchangeAsync(KubeServiceAccountToken token, ExchangeCheckSpec spec, IProgress<ExchangeProgress>? progress,
            List<ExchangeCheckResult> results, CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var r = await EntraTokenExchange.ExchangeAsync(_connection, spec.TenantId, spec.IdentityClientId, token.Token, ct).ConfigureAwait(false);
                if (r.Succeeded)
                {
                    progress?.Report(new ExchangeProgress(ExchangeChecks.TokenExchange, "Entra ID accepted the assertion", watch.Elapsed, spec.PropagationBound, completed: true));
                    results.Add(new ExchangeCheckResult(ExchangeChecks.TokenExchange, CheckOutcome.Pass,
                        $"Entra ID accepted the service-account token for client {spec.IdentityClientId} and issued the agent's token: {r.Claims}, oid={r.Claims!.ObjectId}."));
                    return r;
                }
                if (r.Code != ExchangeFailures.NotYetPropagated || watch.Elapsed >= spec.PropagationBound)
                {
                    progress?.Report(new ExchangeProgress(ExchangeChecks.TokenExchange, "Entra ID refused the assertion", watch.Elapsed, spec.PropagationBound, completed: true));
                    results.Add(ExchangeFailures.Translate(r, token.Claims, spec));
                    return null;
                }
                progress?.Report(new ExchangeProgress(ExchangeChecks.TokenExchange,
                    $"AADSTS70021: waiting for a new federated credential to take effect ({watch.Elapsed.TotalSeconds:0} of {spec.PropagationBound.TotalSeconds:0} s)", watch.Elapsed, spec.PropagationBound));
                await Task.Delay(spec.PollInterval, ct).ConfigureAwait(false);
            }
        }

        private async Task ArmAsAgentAsync(string agentToken, ExchangeCheckSpec spec, IProgress<ExchangeProgress>? progress, List<ExchangeCheckResult> results, CancellationToken ct)
        {
            var pipeline = HttpPipelineBuilder.Build(_connection.PipelineOptions, Array.Empty<HttpPipelinePolicy>(),
                new HttpPipelinePolicy[] { new BearerTokenAuthenticationPolicy(new StaticTokenCredential(agentToken), _connection.Cloud.DefaultScope), ArmCallObserverPolicy.Shared },
                new ResponseClassifier());
            var asAgent = new ArmRestClient(pipeline, _connection.Cloud.ResourceManagerEndpoint, _connection.ApiVersionNegotiator, _observer, _connection.Context);
            var watch = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    // Reading the role assignments at the scope is a read any reading role allows, at any kind of scope.
                    await asAgent.ListRoleAssignmentsAsync(spec.Scope, "atScope()", ct).ConfigureAwait(false);
                    progress?.Report(new ExchangeProgress(ExchangeChecks.ArmAsAgent, "ARM answered the agent", watch.Elapsed, spec.PropagationBound, completed: true));
                    results.Add(new ExchangeCheckResult(ExchangeChecks.ArmAsAgent, CheckOutcome.Pass, $"As the agent, a read at {spec.Scope} succeeded."));
                    return;
                }
                catch (ArmException e) when (e.Status == 403)
                {
                    if (watch.Elapsed >= spec.PropagationBound)
                    {
                        progress?.Report(new ExchangeProgress(ExchangeChecks.ArmAsAgent, "ARM still refuses the agent", watch.Elapsed, spec.PropagationBound, completed: true));
                        results.Add(ExchangeFailures.Forbidden(e, spec, watch.Elapsed));
                        return;
                    }
                    progress?.Report(new ExchangeProgress(ExchangeChecks.ArmAsAgent,
                        $"403 {e.ErrorCode}: waiting for the role assignment to take effect ({watch.Elapsed.TotalSeconds:0} of {spec.PropagationBound.TotalSeconds:0} s)", watch.Elapsed, spec.PropagationBound));
                    await Task.Delay(spec.PollInterval, ct).ConfigureAwait(false);
                }
                catch (ArmException e)
                {
                    results.Add(new ExchangeCheckResult(ExchangeChecks.ArmAsAgent, CheckOutcome.Fail, $"As the agent, a read at {spec.Scope}: {e.Status} {e.ErrorCode}: {e.ArmMessage}"));
                    return;
                }
            }
        }

        private static ExchangeCheckResult Annotation(KubeServiceAccount sa, ExchangeCheckSpec spec)
        {
            const string check = ExchangeChecks.ServiceAccountAnnotation;
            var fixClient = $"Annotate the service account: {ClientIdAnnotation}: \"{spec.IdentityClientId}\" (Export-AgentConfiguration -Format ServiceAccount writes the manifest), then restart the agent's pods.";
            if (!sa.Annotations.TryGetValue(ClientIdAnnotation, out var clientId) || string.IsNullOrEmpty(clientId))
                return new ExchangeCheckResult(check, CheckOutcome.Fail, $"Service account {sa.Namespace}/{sa.Name} has no {ClientIdAnnotation} annotation: the webhook gives its pods no AZURE_CLIENT_ID.", fixClient);
            if (!string.Equals(clientId, spec.IdentityClientId, StringComparison.OrdinalIgnoreCase))
                return new ExchangeCheckResult(check, CheckOutcome.Fail, $"Service account {sa.Namespace}/{sa.Name} has {ClientIdAnnotation}={clientId}, another identity than {spec.IdentityClientId}.", fixClient);
            if (sa.Annotations.TryGetValue(TenantIdAnnotation, out var tenant) && !string.IsNullOrEmpty(tenant) && !string.Equals(tenant, spec.TenantId, StringComparison.OrdinalIgnoreCase))
                return new ExchangeCheckResult(check, CheckOutcome.Fail, $"Service account {sa.Namespace}/{sa.Name} has {TenantIdAnnotation}={tenant}, not the identity's tenant {spec.TenantId}.",
                    $"Set {TenantIdAnnotation} to \"{spec.TenantId}\" or remove it, then restart the agent's pods.");
            return new ExchangeCheckResult(check, CheckOutcome.Pass, $"Service account {sa.Namespace}/{sa.Name} carries {ClientIdAnnotation}={clientId}.");
        }

        private static async Task<ExchangeCheckResult> PodsAsync(KubeApiClient kube, ExchangeCheckSpec spec, CancellationToken ct)
        {
            const string check = ExchangeChecks.AgentPods;
            IReadOnlyList<KubePod> pods;
            try { pods = await kube.ListPodsAsync(spec.Namespace, spec.ServiceAccountName, ct).ConfigureAwait(false); }
            catch (KubernetesApiException e) { return new ExchangeCheckResult(check, CheckOutcome.Warn, "Listing the agent's pods: " + Describe(e)); }
            if (pods.Count == 0)
                return new ExchangeCheckResult(check, CheckOutcome.Warn, $"No pod runs as {spec.Namespace}/{spec.ServiceAccountName} yet; the pod side is checked once the agent is deployed.");
            var problems = new List<string>();
            foreach (var pod in pods)
            {
                if (!pod.Labels.TryGetValue(UseLabel, out var use) || use != "true")
                    problems.Add($"pod {pod.Name} lacks the label {UseLabel}: \"true\", so the webhook did not inject the identity");
                else if (InjectedEnv.Any(v => !pod.Env.ContainsKey(v)) || !pod.Volumes.Contains(TokenVolume))
                    problems.Add($"pod {pod.Name} is labelled but was not mutated (missing {string.Join(", ", InjectedEnv.Where(v => !pod.Env.ContainsKey(v)).Concat(pod.Volumes.Contains(TokenVolume) ? new string[0] : new[] { TokenVolume + " volume" }))}): it was created before the label or annotation, or the webhook is not running; restart it");
                else if (!string.Equals(pod.Env["AZURE_CLIENT_ID"], spec.IdentityClientId, StringComparison.OrdinalIgnoreCase))
                    problems.Add($"pod {pod.Name} has AZURE_CLIENT_ID={pod.Env["AZURE_CLIENT_ID"]}, not {spec.IdentityClientId}: it was created before the annotation changed; restart it");
            }
            if (problems.Count == 0)
                return new ExchangeCheckResult(check, CheckOutcome.Pass, $"{pods.Count} pod(s) run as {spec.Namespace}/{spec.ServiceAccountName}, labelled and mutated with AZURE_CLIENT_ID={spec.IdentityClientId}.");
            return new ExchangeCheckResult(check, CheckOutcome.Fail, string.Join("; ", problems) + ".",
                $"Label the agent's pod template with {UseLabel}: \"true\", then restart the agent (kubectl rollout restart).");
        }

        private static string Describe(KubernetesApiException e) =>
            e.Status == 0 ? e.Message : $"{e.Status} {e.Reason}: {e.Message}";
    }
}
