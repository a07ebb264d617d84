using System.Collections.Generic;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class FederatedIdentityCredential
    {
        internal FederatedIdentityCredential(string id, string name, string issuer, string subject, IReadOnlyList<string> audiences)
        {
            Id = id;
            Name = name;
            Issuer = issuer;
            Subject = subject;
            Audiences = audiences;
        }

        public string Id { get; }
        public string Name { get; }
        public string Issuer { get; }
        public string Subject { get; }
        public IReadOnlyList<string> Audiences { get; }

        public override string ToString() => Id;
    }
}
