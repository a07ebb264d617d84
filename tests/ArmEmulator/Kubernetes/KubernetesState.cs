namespace ArmEmulator;

/// <summary>
/// What one cluster's Kubernetes API holds: namespaces, service accounts and pods (part of the state JSON under each
/// cluster's "kubernetes"). A new cluster starts with default, kube-system and resiliency-system.
/// </summary>
public sealed class KubernetesState
{
    /// <summary>Microsoft Entra ID integration (AKS-managed): the user kubeconfig carries kubelogin instead of a token.</summary>
    public bool EntraIntegrated { get; set; }
    /// <summary>How far the cluster's clock is off the shared one (negative = behind): tokens it issues are stamped with it.</summary>
    public double ClockSkewSeconds { get; set; }
    public List<string> Namespaces { get; set; } = ["default", "kube-system", "kube-public", "resiliency-system"];
    public List<ServiceAccountState> ServiceAccounts { get; set; } = new();
    public List<PodState> Pods { get; set; } = new();
}

public sealed class ServiceAccountState
{
    public string Namespace { get; set; } = "";
    public string Name { get; set; } = "";
    public string Uid { get; set; } = Guid.NewGuid().ToString();
    public Dictionary<string, string> Labels { get; set; } = new();
    public Dictionary<string, string> Annotations { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public long ResourceVersion { get; set; } = 1;
}

/// <summary>A pod as the API returns it after admission: <see cref="Env"/> and <see cref="Volumes"/> hold what the webhook injected.</summary>
public sealed class PodState
{
    public string Namespace { get; set; } = "";
    public string Name { get; set; } = "";
    public string Uid { get; set; } = Guid.NewGuid().ToString();
    public string ServiceAccountName { get; set; } = "default";
    public Dictionary<string, string> Labels { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public Dictionary<string, string> Env { get; set; } = new();
    public List<string> Volumes { get; set; } = new();
}
