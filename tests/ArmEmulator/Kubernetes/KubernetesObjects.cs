using System.Text.Json.Nodes;

namespace ArmEmulator;

/// <summary>The JSON of the Kubernetes objects the emulator serves, shaped as a real API server writes them (core/v1).</summary>
internal static class KubernetesObjects
{
    public const string UseLabel = "azure.workload.identity/use";
    public const string ClientIdAnnotation = "azure.workload.identity/client-id";
    public const string TenantIdAnnotation = "azure.workload.identity/tenant-id";
    public const string TokenVolume = "azure-identity-token";
    public const string TokenDirectory = "/var/run/secrets/azure/tokens";

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");

    public static JsonObject Status(int code, string reason, string message, string? name = null, string? kind = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
            ["message"] = message, ["reason"] = reason,
        };
        if (name is not null || kind is not null)
        {
            var details = new JsonObject();
            if (name is not null) details["name"] = name;
            if (kind is not null) details["kind"] = kind;
            status["details"] = details;
        }
        status["code"] = code;
        return status;
    }

    public static JsonObject List(string kind, IEnumerable<JsonObject> items) => new()
    {
        ["kind"] = kind, ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["resourceVersion"] = "1" },
        ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
    };

    public static JsonObject Namespace(string name) => new()
    {
        ["kind"] = "Namespace", ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name } },
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    public static JsonObject ServiceAccount(ServiceAccountState sa)
    {
        var metadata = new JsonObject
        {
            ["name"] = sa.Name, ["namespace"] = sa.Namespace, ["uid"] = sa.Uid,
            ["resourceVersion"] = sa.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["creationTimestamp"] = Time(sa.CreatedAt),
        };
        if (sa.Labels.Count > 0) metadata["labels"] = Map(sa.Labels);
        if (sa.Annotations.Count > 0) metadata["annotations"] = Map(sa.Annotations);
        return new JsonObject { ["kind"] = "ServiceAccount", ["apiVersion"] = "v1", ["metadata"] = metadata };
    }

    public static JsonObject Pod(PodState pod)
    {
        var container = new JsonObject { ["name"] = "agent", ["image"] = "astronetes/agent:latest" };
        var spec = new JsonObject { ["serviceAccountName"] = pod.ServiceAccountName, ["serviceAccount"] = pod.ServiceAccountName };
        if (pod.Env.Count > 0)
            container["env"] = new JsonArray(pod.Env.Select(e => (JsonNode)new JsonObject { ["name"] = e.Key, ["value"] = e.Value }).ToArray());
        if (pod.Volumes.Contains(TokenVolume))
        {
            container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = TokenVolume, ["readOnly"] = true, ["mountPath"] = TokenDirectory });
            spec["volumes"] = new JsonArray(new JsonObject
            {
                ["name"] = TokenVolume,
                ["projected"] = new JsonObject
                {
                    ["sources"] = new JsonArray(new JsonObject
                    {
                        ["serviceAccountToken"] = new JsonObject { ["audience"] = "api://AzureADTokenExchange", ["expirationSeconds"] = 3600, ["path"] = TokenVolume },
                    }),
                    ["defaultMode"] = 420,
                },
            });
        }
        spec["containers"] = new JsonArray(container);
        var metadata = new JsonObject
        {
            ["name"] = pod.Name, ["namespace"] = pod.Namespace, ["uid"] = pod.Uid, ["resourceVersion"] = "1", ["creationTimestamp"] = Time(pod.CreatedAt),
        };
        if (pod.Labels.Count > 0) metadata["labels"] = Map(pod.Labels);
        return new JsonObject
        {
            ["kind"] = "Pod", ["apiVersion"] = "v1", ["metadata"] = metadata, ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Running", ["startTime"] = Time(pod.CreatedAt) },
        };
    }

    /// <summary>
    /// The azure-workload-identity webhook's admission of a pod labelled azure.workload.identity/use=true: the env vars from
    /// the service account's annotations and the projected token volume. An unlabelled pod is admitted unchanged.
    /// </summary>
    public static void Admit(PodState pod, ServiceAccountState? sa, string tenantId, string authorityHost)
    {
        if (!pod.Labels.TryGetValue(UseLabel, out var use) || use != "true") return;
        var annotations = sa?.Annotations ?? new Dictionary<string, string>();
        if (annotations.TryGetValue(ClientIdAnnotation, out var clientId) && clientId.Length > 0) pod.Env["AZURE_CLIENT_ID"] = clientId;
        pod.Env["AZURE_TENANT_ID"] = annotations.TryGetValue(TenantIdAnnotation, out var tenant) && tenant.Length > 0 ? tenant : tenantId;
        pod.Env["AZURE_FEDERATED_TOKEN_FILE"] = $"{TokenDirectory}/{TokenVolume}";
        pod.Env["AZURE_AUTHORITY_HOST"] = authorityHost;
        pod.Volumes.Add(TokenVolume);
    }

    private static JsonObject Map(Dictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) o[k] = v;
        return o;
    }
}
