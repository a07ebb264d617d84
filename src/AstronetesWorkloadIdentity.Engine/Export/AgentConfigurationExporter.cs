using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using YamlDotNet.Serialization;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Renders agent configurations as JSON, YAML, KEY=value lines or a Kubernetes ServiceAccount manifest. YAML goes
    /// through YamlDotNet (quoting whatever would otherwise read back as another type), never string concatenation.
    /// </summary>
    public static class AgentConfigurationExporter
    {
        /// <summary>The annotations the Azure Workload Identity webhook reads (azure.github.io/azure-workload-identity, "Service Account Annotations").</summary>
        public const string ClientIdAnnotation = "azure.workload.identity/client-id";
        public const string TenantIdAnnotation = "azure.workload.identity/tenant-id";

        // The names the Azure SDKs' EnvironmentCredential and WorkloadIdentityCredential read, plus the agent's own two.
        private static readonly string[] EnvNames = { "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID", "ASTRONETES_NAMESPACE", "ASTRONETES_SERVICE_ACCOUNT_NAME" };

        private static readonly ISerializer Yaml = new SerializerBuilder()
            .WithQuotingNecessaryStrings()
            .WithNewLine("\n")
            .Build();

        /// <summary>Checks one agent's values; throws InputValidationException naming the property that is missing or malformed.</summary>
        public static void Validate(AgentExportValues values)
        {
            if (values == null) throw new ArgumentNullException(nameof(values));
            if (string.IsNullOrEmpty(values.ClientId))
            {
                throw InputValidationException.Missing("ClientId", "to export a configuration (an identity previewed with -WhatIf or declined has none: run the setup without -WhatIf first)");
            }
            InputValidator.TenantId(values.ClientId!, "ClientId");
            if (string.IsNullOrEmpty(values.TenantId)) throw InputValidationException.Missing("TenantId", "to export a configuration");
            InputValidator.TenantId(values.TenantId!);
            if (string.IsNullOrEmpty(values.SubscriptionId)) throw InputValidationException.Missing("SubscriptionId", "to export a configuration");
            InputValidator.SubscriptionId(values.SubscriptionId!);
            InputValidator.KubernetesNamespace(values.Namespace!);
            InputValidator.ServiceAccountName(values.ServiceAccountName!);
        }

        /// <summary>All agents in one text: a JSON array (an object for one), YAML documents separated by ---, or one agent's KEY=value lines.</summary>
        public static string Render(IReadOnlyList<AgentExportValues> agents, ExportFormat format)
        {
            if (agents == null || agents.Count == 0) throw new ArgumentException("At least one agent is needed.", nameof(agents));
            foreach (var agent in agents) Validate(agent);
            switch (format)
            {
                case ExportFormat.Json:
                    return RenderJson(agents);
                case ExportFormat.Yaml:
                    return Documents(agents.Select(a => Yaml.Serialize(Fields(a))));
                case ExportFormat.Env:
                    if (agents.Count > 1) throw new InputValidationException("Format", "Env", "one agent per export: KEY=value lines hold a single agent's values");
                    return RenderEnv(agents[0]);
                case ExportFormat.ServiceAccount:
                    return Documents(agents.Select(a => Yaml.Serialize(ServiceAccount(a))));
                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format.");
            }
        }

        /// <summary>Key order is fixed, so exports diff cleanly; optional values are left out when unknown.</summary>
        private static Dictionary<string, string> Fields(AgentExportValues a)
        {
            var fields = new Dictionary<string, string>
            {
                ["clientId"] = a.ClientId!,
                ["tenantId"] = a.TenantId!,
                ["subscriptionId"] = a.SubscriptionId!,
                ["namespace"] = a.Namespace!,
                ["serviceAccountName"] = a.ServiceAccountName!,
            };
            if (!string.IsNullOrEmpty(a.IssuerUrl)) fields["issuerUrl"] = a.IssuerUrl!;
            if (!string.IsNullOrEmpty(a.IdentityResourceId)) fields["identityResourceId"] = a.IdentityResourceId!;
            return fields;
        }

        private static Dictionary<string, object> ServiceAccount(AgentExportValues a) => new Dictionary<string, object>
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new Dictionary<string, object>
            {
                ["name"] = a.ServiceAccountName!,
                ["namespace"] = a.Namespace!,
                ["annotations"] = new Dictionary<string, string>
                {
                    [ClientIdAnnotation] = a.ClientId!,
                    [TenantIdAnnotation] = a.TenantId!,
                },
            },
        };

        private static string RenderJson(IReadOnlyList<AgentExportValues> agents)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                if (agents.Count > 1) writer.WriteStartArray();
                foreach (var agent in agents)
                {
                    writer.WriteStartObject();
                    foreach (var field in Fields(agent)) writer.WriteString(field.Key, field.Value);
                    writer.WriteEndObject();
                }
                if (agents.Count > 1) writer.WriteEndArray();
            }
            // Utf8JsonWriter writes the platform's newline; exports are the same on every OS.
            return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n";
        }

        private static string RenderEnv(AgentExportValues a)
        {
            var values = new[] { a.ClientId!, a.TenantId!, a.SubscriptionId!, a.Namespace!, a.ServiceAccountName! };
            var text = new StringBuilder();
            // Every value is validated as a GUID or a DNS name, so none needs quoting or escaping.
            for (var i = 0; i < EnvNames.Length; i++) text.Append(EnvNames[i]).Append('=').Append(values[i]).Append('\n');
            return text.ToString();
        }

        private static string Documents(IEnumerable<string> documents) => string.Join("---\n", documents);
    }
}
