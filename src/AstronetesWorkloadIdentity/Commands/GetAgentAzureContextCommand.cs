using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;
using AstronetesWorkloadIdentity.Session;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>Shows what the other cmdlets of this runspace will use: the connection, or the defaults when there is none.</summary>
    [Cmdlet(VerbsCommon.Get, "AgentAzureContext")]
    [OutputType(typeof(AgentAzureContext))]
    public sealed class GetAgentAzureContextCommand : AgentCmdletBase
    {
        protected override void ProcessRecord()
        {
            AgentSession? session = AgentSessionStore.Get(CurrentRunspace);
            if (session == null)
            {
                WriteVerbose("Not connected in this runspace: the defaults apply (AzureCloud, the default credential chain).");
                try
                {
                    session = GetSession();
                }
                catch (InputValidationException e)
                {
                    ThrowTerminatingError(ErrorRecordFactory.FromValidation(e));
                    return;
                }
            }

            AgentAzureContext context = session.ToContext();
            if (context.SubscriptionSource != null)
            {
                WriteVerbose("Default subscription " + context.SubscriptionId + " from " + context.SubscriptionSource + ".");
            }

            WriteObject(context);
        }
    }
}
