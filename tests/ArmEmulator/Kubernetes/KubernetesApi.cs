using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ArmEmulator;

/// <summary>
/// Each cluster's Kubernetes API server under {base}k8s/{key}/ (the server of the kubeconfigs ARM hands out): namespaces,
/// service accounts (get, list, create, merge-patch), pods (list, by spec.serviceAccountName too) and the TokenRequest
/// subresource, which signs RS256 tokens with the cluster issuer's key. Errors are Kubernetes Status objects.
/// </summary>
internal static partial class KubernetesApi
{
    public const string Prefix = "/k8s/";
    private const int MinTokenSeconds = 600;
    private const int DefaultTokenSeconds = 3600;
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    [GeneratedRegex(@"^/k8s/(?<key>[^/]+)(?<rest>/.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ClusterPath();
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex Dns1123Subdomain();

    public static bool IsKubernetesPath(string path) => path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    public static async Task<bool> TryHandleAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var m = ClusterPath().Match(context.Request.Path.Value ?? "");
        if (!m.Success) return false;
        var key = m.Groups["key"].Value;
        var rest = m.Groups["rest"].Value;
        JsonNode? body = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted); }
            catch (JsonException e)
            {
                await Write(context, 400, KubernetesObjects.Status(400, "BadRequest", $"the body of the request was in an unknown format: {e.Message}"));
                return true;
            }
        }
        (int Status, JsonObject Body) answer;
        lock (runtime.Store.Gate)
        {
            var cluster = runtime.Store.Current.Clusters.FirstOrDefault(c => ClusterEndpoint.Key(c) == key);
            if (cluster is null) answer = (404, KubernetesObjects.Status(404, "NotFound", "the server could not find the requested resource"));
            else if (!Authenticated(context, runtime, cluster)) answer = (401, KubernetesObjects.Status(401, "Unauthorized", "Unauthorized"));
            else answer = Route(context, runtime, cluster, rest.Split('/', StringSplitOptions.RemoveEmptyEntries), body);
        }
        await Write(context, answer.Status, answer.Body);
        return true;
    }

    private static bool Authenticated(HttpContext context, EmulatorRuntime runtime, ClusterState cluster)
    {
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        var token = header[7..].Trim();
        if (token == ClusterEndpoint.LocalToken(cluster, "clusterAdmin")) return true;
        if (!cluster.Kubernetes.EntraIntegrated) return token == ClusterEndpoint.LocalToken(cluster, "clusterUser");
        // Entra-integrated: a token of the AKS server application for a principal that may read the cluster's user credential.
        if (runtime.Tokens.Validate(token, out var claims) != TokenValidationError.None || claims is null) return false;
        if (!string.Equals(claims.Audience, ClusterEndpoint.AksServerAppId, StringComparison.OrdinalIgnoreCase)) return false;
        var clusterId = $"/subscriptions/{cluster.SubscriptionId}/resourceGroups/{cluster.ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{cluster.Name}";
        return PermissionEvaluator.IsAllowed(runtime.Store.Current, claims.ObjectId,
            "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action", clusterId);
    }

    private static (int, JsonObject) Route(HttpContext context, EmulatorRuntime runtime, ClusterState cluster, string[] s, JsonNode? body)
    {
        var method = context.Request.Method;
        var k8s = cluster.Kubernetes;
        bool Is(int i, string v) => i < s.Length && s[i] == v;
        if (!(Is(0, "api") && Is(1, "v1") && Is(2, "namespaces"))) return NotFound();
        if (s.Length == 3 && method == "GET") return (200, KubernetesObjects.List("NamespaceList", k8s.Namespaces.Select(KubernetesObjects.Namespace)));
        var ns = s[3];
        if (!k8s.Namespaces.Contains(ns)) return Missing("namespaces", ns);
        if (s.Length == 4 && method == "GET") return (200, KubernetesObjects.Namespace(ns));
        if (Is(4, "serviceaccounts"))
        {
            if (s.Length == 5 && method == "GET")
                return (200, KubernetesObjects.List("ServiceAccountList", k8s.ServiceAccounts.Where(a => a.Namespace == ns).Select(KubernetesObjects.ServiceAccount)));
            if (s.Length == 5 && method == "POST") return CreateServiceAccount(runtime, k8s, ns, body);
            if (s.Length < 6) return NotFound();
            var sa = k8s.ServiceAccounts.FirstOrDefault(a => a.Namespace == ns && a.Name == s[5]);
            if (sa is null) return Missing("serviceaccounts", s[5]);
            if (s.Length == 6 && method == "GET") return (200, KubernetesObjects.ServiceAccount(sa));
            if (s.Length == 6 && method == "PATCH") return PatchServiceAccount(context, sa, body);
            if (s.Length == 7 && s[6] == "token" && method == "POST") return RequestToken(runtime, cluster, sa, body);
            return NotFound();
        }
        if (Is(4, "pods") && method == "GET")
        {
            var pods = k8s.Pods.Where(p => p.Namespace == ns);
            if (s.Length == 5)
            {
                var selector = context.Request.Query["fieldSelector"].FirstOrDefault();
                if (!string.IsNullOrEmpty(selector))
                {
                    const string field = "spec.serviceAccountName=";
                    if (!selector.StartsWith(field, StringComparison.Ordinal))
                        return (400, KubernetesObjects.Status(400, "BadRequest", $"field label not supported: {selector.Split('=')[0]}"));
                    var name = selector[field.Length..];
                    pods = pods.Where(p => p.ServiceAccountName == name);
                }
                return (200, KubernetesObjects.List("PodList", pods.Select(KubernetesObjects.Pod)));
            }
            var pod = pods.FirstOrDefault(p => p.Name == s[5]);
            return s.Length == 6 && pod is not null ? (200, KubernetesObjects.Pod(pod)) : Missing("pods", s[5]);
        }
        return NotFound();
    }

    private static (int, JsonObject) CreateServiceAccount(EmulatorRuntime runtime, KubernetesState k8s, string ns, JsonNode? body)
    {
        var metadata = body?["metadata"];
        var name = (string?)metadata?["name"];
        if (string.IsNullOrEmpty(name) || name.Length > 253 || !Dns1123Subdomain().IsMatch(name))
            return Invalid("ServiceAccount", name ?? "", $"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        var bodyNs = (string?)metadata?["namespace"];
        if (bodyNs is not null && bodyNs != ns)
            return (400, KubernetesObjects.Status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request"));
        if (k8s.ServiceAccounts.Any(a => a.Namespace == ns && a.Name == name))
            return (409, KubernetesObjects.Status(409, "AlreadyExists", $"serviceaccounts \"{name}\" already exists", name, "serviceaccounts"));
        var sa = new ServiceAccountState
        {
            Namespace = ns, Name = name, CreatedAt = runtime.Time.GetUtcNow(),
            Labels = Strings(metadata?["labels"]), Annotations = Strings(metadata?["annotations"]),
        };
        k8s.ServiceAccounts.Add(sa);
        return (201, KubernetesObjects.ServiceAccount(sa));
    }

    /// <summary>JSON merge patch (and strategic merge patch, the same for these maps): a null value removes the key.</summary>
    private static (int, JsonObject) PatchServiceAccount(HttpContext context, ServiceAccountState sa, JsonNode? body)
    {
        var type = context.Request.ContentType ?? "";
        if (!type.StartsWith("application/merge-patch+json", StringComparison.OrdinalIgnoreCase)
            && !type.StartsWith("application/strategic-merge-patch+json", StringComparison.OrdinalIgnoreCase))
            return (415, KubernetesObjects.Status(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json"));
        if (body is not JsonObject patch) return (400, KubernetesObjects.Status(400, "BadRequest", "the body of the request was in an unknown format"));
        Merge(sa.Labels, patch["metadata"]?["labels"]);
        Merge(sa.Annotations, patch["metadata"]?["annotations"]);
        sa.ResourceVersion++;
        return (200, KubernetesObjects.ServiceAccount(sa));
    }

    private static (int, JsonObject) RequestToken(EmulatorRuntime runtime, ClusterState cluster, ServiceAccountState sa, JsonNode? body)
    {
        var spec = body?["spec"];
        var audiences = (spec?["audiences"] as JsonArray)?.Select(a => (string?)a).Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).ToList() ?? new();
        var seconds = (long?)spec?["expirationSeconds"] ?? DefaultTokenSeconds;
        if (seconds < MinTokenSeconds)
            return Invalid("TokenRequest", sa.Name, $"spec.expirationSeconds: Invalid value: {seconds}: may not specify a duration less than 10 minutes");
        var issuer = cluster.OidcIssuerEnabled ? runtime.IssuerUrl(cluster) : "https://kubernetes.default.svc.cluster.local";
        if (audiences.Count == 0) audiences.Add(issuer);
        var now = runtime.Clock.NowOn(cluster);
        var expires = now.AddSeconds(seconds);
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = KeyStore.Signing(runtime.Keys.ForIssuer(cluster.OidcIssuerId)),
            Claims = new Dictionary<string, object>
            {
                ["aud"] = audiences,
                ["sub"] = $"system:serviceaccount:{sa.Namespace}:{sa.Name}",
                ["jti"] = Guid.NewGuid().ToString(),
                ["kubernetes.io"] = new Dictionary<string, object>
                {
                    ["namespace"] = sa.Namespace,
                    ["serviceaccount"] = new Dictionary<string, object> { ["name"] = sa.Name, ["uid"] = sa.Uid },
                },
            },
        });
        return (201, new JsonObject
        {
            ["kind"] = "TokenRequest", ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = sa.Name, ["namespace"] = sa.Namespace, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray(audiences.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["expirationSeconds"] = seconds, ["boundObjectRef"] = null,
            },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = KubernetesObjects.Time(expires) },
        });
    }

    /// <summary>Adds a pod as the API server would after admission (the admin API's way in: POST /_emulator/pods).</summary>
    public static PodState AddPod(EmulatorRuntime runtime, string clusterName, string ns, string name, string serviceAccount, Dictionary<string, string>? labels)
    {
        lock (runtime.Store.Gate)
        {
            var cluster = runtime.Store.Current.Clusters.FirstOrDefault(c => StateStore.Eq(c.Name, clusterName))
                          ?? throw new ArgumentException($"No cluster '{clusterName}'.");
            var k8s = cluster.Kubernetes;
            if (!k8s.Namespaces.Contains(ns)) throw new ArgumentException($"namespaces \"{ns}\" not found");
            if (k8s.Pods.Any(p => p.Namespace == ns && p.Name == name)) throw new ArgumentException($"pods \"{name}\" already exists");
            // Admission refuses a pod whose service account does not exist, as the ServiceAccount admission plugin does.
            var sa = k8s.ServiceAccounts.FirstOrDefault(a => a.Namespace == ns && a.Name == serviceAccount)
                     ?? throw new ArgumentException($"pods \"{name}\" is forbidden: error looking up service account {ns}/{serviceAccount}: serviceaccount \"{serviceAccount}\" not found");
            var pod = new PodState { Namespace = ns, Name = name, ServiceAccountName = serviceAccount, Labels = labels ?? new(), CreatedAt = runtime.Time.GetUtcNow() };
            KubernetesObjects.Admit(pod, sa, runtime.Store.Current.TenantId, runtime.BaseUri.ToString());
            k8s.Pods.Add(pod);
            return pod;
        }
    }

    private static void Merge(Dictionary<string, string> target, JsonNode? patch)
    {
        if (patch is not JsonObject o) return;
        foreach (var (k, v) in o)
        {
            if (v is null) target.Remove(k);
            else target[k] = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
        }
    }

    private static Dictionary<string, string> Strings(JsonNode? map) =>
        map is JsonObject o ? o.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.ToString()) : new();

    private static (int, JsonObject) NotFound() => (404, KubernetesObjects.Status(404, "NotFound", "the server could not find the requested resource"));

    private static (int, JsonObject) Missing(string kind, string name) =>
        (404, KubernetesObjects.Status(404, "NotFound", $"{kind} \"{name}\" not found", name, kind));

    private static (int, JsonObject) Invalid(string kind, string name, string cause) =>
        (422, KubernetesObjects.Status(422, "Invalid", $"{kind} \"{name}\" is invalid: {cause}", name, kind));

    private static Task Write(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(ArmJson.Options));
    }
}
