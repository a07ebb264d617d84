using System.Management.Automation;
using AstronetesWorkloadIdentity.Session;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>Forgets this runspace's connection and its cached tokens; later commands use the defaults again.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "AgentAzure")]
    [OutputType(typeof(AgentAzureContext))]
    public sealed class DisconnectAgentAzureCommand : AgentCmdletBase
    {
        /// <summary>Returns the context that was removed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            AgentSession? removed = AgentSessionStore.Remove(CurrentRunspace);
            if (removed == null)
            {
                WriteVerbose("Not connected in this runspace; nothing to forget.");
                return;
            }

            WriteVerbose("Disconnected from " + removed.Connection.Cloud.Name + ".");
            if (PassThru)
            {
                WriteObject(removed.ToContext());
            }
        }
    }
}
