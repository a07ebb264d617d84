namespace AstronetesWorkloadIdentity.Engine
{
    public enum CredentialKind { Default, ClientSecret, ClientCertificate, ManagedIdentity, AccessToken }
}
