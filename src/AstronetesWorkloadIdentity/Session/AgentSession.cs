using System;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Session
{
    /// <summary>One runspace's connection: kept so every cmdlet in a pipeline shares the credential and its token cache.</summary>
    internal sealed class AgentSession : IDisposable
    {
        public AgentSession(ArmConnection connection, string? authorityHost, bool isDefault)
        {
            Connection = connection;
            AuthorityHost = authorityHost;
            IsDefault = isDefault;
        }

        public ArmConnection Connection { get; }

        /// <summary>As the user gave it; the engine's cloud knows it too, this just avoids formatting surprises.</summary>
        public string? AuthorityHost { get; }

        /// <summary>True when no Connect-AgentAzure ran: AzureCloud and the default credential chain.</summary>
        public bool IsDefault { get; }

        public AgentAzureContext ToContext()
        {
            AzureCloudEnvironment cloud = Connection.Cloud;
            ResolvedSubscription? subscription = Connection.DefaultSubscription;
            return new AgentAzureContext(
                cloud.Name,
                cloud.ResourceManagerEndpoint.AbsoluteUri,
                AuthorityHost ?? cloud.AuthorityHost.AbsoluteUri,
                Connection.TenantId,
                subscription?.SubscriptionId,
                subscription?.Source,
                Connection.CredentialKind.ToString(),
                Connection.ClientId,
                IsDefault);
        }

        public void Dispose() => Connection.Dispose();

        public static AgentSession CreateDefault()
        {
            var options = new ArmConnectionOptions { UserAgentApplicationId = ModuleInfo.UserAgent };
            return new AgentSession(ArmConnection.Create(options), null, isDefault: true);
        }
    }
}
