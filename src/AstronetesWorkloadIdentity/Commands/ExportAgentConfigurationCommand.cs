using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// Writes agent configurations (from the setup cmdlets, or any object with the same property names) as JSON, YAML,
    /// KEY=value lines or a Kubernetes ServiceAccount manifest; to the pipeline as one string, or to a file.
    /// Makes no Azure call.
    /// </summary>
    [Cmdlet(VerbsData.Export, "AgentConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(string))]
    public sealed class ExportAgentConfigurationCommand : PSCmdlet
    {
        private readonly List<object> _agents = new List<object>();

        /// <summary>Json, Yaml, Env or ServiceAccount (a string, so that binding never loads the engine).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("Json", "Yaml", "Env", "ServiceAccount")]
        public string Format { get; set; } = "Json";

        /// <summary>A file to write (UTF-8 without BOM, replaced if it exists); without it the text goes to the pipeline.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        // Null or empty binds, so a previewed configuration (-WhatIf: no client ID yet) gets a clear error, not a binding failure.
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? ClientId { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? TenantId { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string? SubscriptionId { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string Namespace { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public string ServiceAccountName { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? IssuerUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? IdentityResourceId { get; set; }

        protected override void ProcessRecord()
        {
            var values = new AgentExportValues(ClientId, TenantId, SubscriptionId, Namespace, ServiceAccountName, IssuerUrl, IdentityResourceId);
            try
            {
                AgentConfigurationExporter.Validate(values);
            }
            catch (InputValidationException e)
            {
                WriteError(ErrorRecordFactory.FromValidation(e, "AgentConfiguration"));
                return;
            }

            if (Format == "Env" && _agents.Count == 1)
            {
                WriteError(ErrorRecordFactory.Problem(
                    "EnvFormatHoldsOneAgent",
                    ErrorCategory.InvalidOperation,
                    "Agent '" + ServiceAccountName + "' was not exported: KEY=value lines hold one agent's values, and '" + ((AgentExportValues)_agents[0]).ServiceAccountName + "' is already in this export.",
                    ServiceAccountName,
                    "Export each agent on its own (ForEach-Object { $_ | Export-AgentConfiguration Env -Path \"$($_.ServiceAccountName).env\" }), or use -Format Json, Yaml or ServiceAccount for many."));
                return;
            }

            _agents.Add(values);
        }

        protected override void EndProcessing()
        {
            if (_agents.Count == 0)
            {
                return;
            }

            var agents = _agents.ConvertAll(a => (AgentExportValues)a);
            string text = AgentConfigurationExporter.Render(agents, (ExportFormat)Enum.Parse(typeof(ExportFormat), Format));
            if (Path == null)
            {
                WriteObject(text);
                return;
            }

            string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(file, "Write " + agents.Count + " agent configuration" + (agents.Count == 1 ? "" : "s") + " as " + Format))
            {
                return;
            }

            try
            {
                File.WriteAllText(file, text, new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
            {
                var record = new ErrorRecord(e, "AgentConfigurationFileNotWritten", ErrorCategory.WriteError, file);
                record.ErrorDetails = new ErrorDetails("Could not write '" + file + "': " + e.Message) { RecommendedAction = "Check that the folder exists and can be written to." };
                ThrowTerminatingError(record);
            }
        }
    }
}
