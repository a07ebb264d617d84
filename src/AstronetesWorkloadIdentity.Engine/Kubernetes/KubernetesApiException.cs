using System;

namespace AstronetesWorkloadIdentity.Engine.Kubernetes
{
    /// <summary>A Kubernetes API call that failed: the HTTP status and the Status object's reason and message (0 = no answer).</summary>
    public sealed class KubernetesApiException : Exception
    {
        public KubernetesApiException(int status, string? reason, string message, Exception? inner = null) : base(message, inner)
        {
            Status = status;
            Reason = reason;
        }

        public int Status { get; }
        /// <summary>NotFound, AlreadyExists, Forbidden, Unauthorized, Invalid ... as the Status object says.</summary>
        public string? Reason { get; }
    }
}
