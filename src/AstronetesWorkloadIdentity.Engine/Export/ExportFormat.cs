namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>The forms an agent's configuration can be handed to Kubernetes or a deployment tool in.</summary>
    public enum ExportFormat
    {
        /// <summary>One JSON object per agent (an array for several).</summary>
        Json,
        /// <summary>One YAML document per agent, with the same keys as JSON.</summary>
        Yaml,
        /// <summary><c>KEY=value</c> lines (a .env file, or a ConfigMap from env); one agent only.</summary>
        Env,
        /// <summary>A Kubernetes ServiceAccount manifest with the Azure Workload Identity annotations, one document per agent.</summary>
        ServiceAccount,
    }
}
