namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// One trust: the service account <see cref="Namespace"/>/<see cref="ServiceAccountName"/> on <see cref="Cluster"/>
    /// gets tokens for the identity through the credential <see cref="CredentialName"/>. An agent on several clusters is
    /// several federations on one identity.
    /// </summary>
    public sealed class AgentFederation
    {
        /// <param name="credentialName">Null: "{cluster}-{namespace}-{serviceAccount}" (AgentSetupWorkflow.DefaultFederatedCredentialName).</param>
        public AgentFederation(ClusterRef cluster, string @namespace, string serviceAccountName, string? credentialName = null)
        {
            Cluster = cluster ?? throw new System.ArgumentNullException(nameof(cluster));
            InputValidator.KubernetesNamespace(@namespace);
            InputValidator.ServiceAccountName(serviceAccountName, "AgentName");
            Subject = InputValidator.Subject(@namespace, serviceAccountName);
            if (credentialName != null) InputValidator.FederatedCredentialName(credentialName);
            Namespace = @namespace;
            ServiceAccountName = serviceAccountName;
            CredentialName = credentialName ?? AgentSetupWorkflow.DefaultFederatedCredentialName(cluster.Name, @namespace, serviceAccountName);
        }

        public ClusterRef Cluster { get; }
        public string Namespace { get; }
        public string ServiceAccountName { get; }
        public string CredentialName { get; }
        /// <summary>system:serviceaccount:{namespace}:{serviceAccount}, compared exactly (case included) by Entra ID.</summary>
        public string Subject { get; }
        public string Audience => AgentDefaults.Audience;

        public override string ToString() => Cluster.Name + "/" + Namespace + "/" + ServiceAccountName;
    }
}
