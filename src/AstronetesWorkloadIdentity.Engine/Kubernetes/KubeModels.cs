using System;
using System.Collections.Generic;

namespace AstronetesWorkloadIdentity.Engine.Kubernetes
{
    public sealed class KubeServiceAccount
    {
        internal KubeServiceAccount(string ns, string name, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations)
        {
            Namespace = ns;
            Name = name;
            Labels = labels;
            Annotations = annotations;
        }

        public string Namespace { get; }
        public string Name { get; }
        public IReadOnlyDictionary<string, string> Labels { get; }
        public IReadOnlyDictionary<string, string> Annotations { get; }
    }

    /// <summary>What the check reads of a pod: its labels and what admission injected (env var names and values, volume names).</summary>
    public sealed class KubePod
    {
        internal KubePod(string name, DateTimeOffset? createdAt, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> env, IReadOnlyList<string> volumes)
        {
            Name = name;
            CreatedAt = createdAt;
            Labels = labels;
            Env = env;
            Volumes = volumes;
        }

        public string Name { get; }
        public DateTimeOffset? CreatedAt { get; }
        public IReadOnlyDictionary<string, string> Labels { get; }
        /// <summary>Env vars of all containers (first value wins).</summary>
        public IReadOnlyDictionary<string, string> Env { get; }
        public IReadOnlyList<string> Volumes { get; }
    }

    /// <summary>A TokenRequest's answer. The token itself is internal and never shown; <see cref="Claims"/> are what may be.</summary>
    public sealed class KubeServiceAccountToken
    {
        internal KubeServiceAccountToken(string token, DateTimeOffset? expiresOn)
        {
            Token = token;
            ExpiresOn = expiresOn;
            Claims = Exchange.TokenClaims.Read(token);
        }

        internal string Token { get; }
        public DateTimeOffset? ExpiresOn { get; }
        public Exchange.TokenClaims Claims { get; }
        public override string ToString() => Claims.ToString();
    }
}
