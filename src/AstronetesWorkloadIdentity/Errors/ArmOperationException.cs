using System;

namespace AstronetesWorkloadIdentity.Errors
{
    /// <summary>
    /// Carries the step's own message (what failed, what was kept) while keeping the engine's exception as inner.
    /// The ARM error code, HTTP status and request ID are copied up, so a script's catch block can branch on them
    /// without digging into the inner exception.
    /// </summary>
    public sealed class ArmOperationException : Exception
    {
        public ArmOperationException(string message, Exception innerException)
            : this(message, innerException, null, null, null)
        {
        }

        public ArmOperationException(string message, Exception innerException, string? errorCode, int? statusCode, string? requestId)
            : base(message, innerException)
        {
            ErrorCode = errorCode;
            StatusCode = statusCode;
            RequestId = requestId;
        }

        /// <summary>ARM's error code (e.g. AuthorizationFailed, ResourceNotFound), or NetworkError / AuthenticationFailed when no answer came; null when the failure was not ARM's.</summary>
        public string? ErrorCode { get; }

        /// <summary>The HTTP status ARM answered with; 0 when no response arrived; null when the failure was not ARM's.</summary>
        public int? StatusCode { get; }

        /// <summary>ARM's x-ms-request-id, the handle Azure support asks for; null when ARM sent none.</summary>
        public string? RequestId { get; }
    }
}
