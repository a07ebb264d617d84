using System;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>A check that stops a setup step before any write.</summary>
    public sealed class SetupPreconditionException : Exception
    {
        public SetupPreconditionException(string errorCode, string message, string? resourceId = null, string? recommendedAction = null, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorCode = errorCode;
            ResourceId = resourceId;
            RecommendedAction = recommendedAction;
        }

        /// <summary>ClusterNotReady, FederatedCredentialLimitReached, FederatedCredentialConflict, RoleDefinitionNotFound, ...</summary>
        public string ErrorCode { get; }
        public string? ResourceId { get; }
        public string? RecommendedAction { get; }
    }
}
