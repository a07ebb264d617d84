using System;
using System.Text;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Every failed ARM call (and the authentication or network failure behind one), so callers handle a single type.
    /// The message carries no token or secret.
    /// </summary>
    public sealed class ArmException : Exception
    {
        public ArmException(int status, string errorCode, string armMessage, string? requestId, string? resourceId, Exception? innerException = null)
            : base(Format(status, errorCode, armMessage, requestId, resourceId), innerException)
        {
            Status = status;
            ErrorCode = errorCode;
            ArmMessage = armMessage;
            RequestId = requestId;
            ResourceId = resourceId;
        }

        /// <summary>The HTTP status; 0 when no response arrived (network or authentication failure).</summary>
        public int Status { get; }
        /// <summary>ARM's error code, "HttpStatus&lt;code&gt;" for an empty body, InvalidResponse, or with Status 0 AuthenticationFailed, AuthorityUnavailable, ServerCertificateUntrusted, TlsHandshakeFailed, NetworkError.</summary>
        public string ErrorCode { get; }
        public string ArmMessage { get; }
        /// <summary>x-ms-request-id, the handle Azure support asks for.</summary>
        public string? RequestId { get; }
        public string? ResourceId { get; }
        /// <summary>For a long-running operation that ARM accepted and that then ended Failed or Canceled: that status; else null.</summary>
        public string? OperationStatus { get; internal set; }

        private static string Format(int status, string errorCode, string armMessage, string? requestId, string? resourceId)
        {
            var text = new StringBuilder();
            text.Append(errorCode);
            if (status != 0) text.Append(" (HTTP ").Append(status).Append(')');
            text.Append(": ").Append(armMessage);
            if (resourceId != null) text.Append(" Resource: ").Append(resourceId).Append('.');
            if (requestId != null) text.Append(" Request ID: ").Append(requestId).Append('.');
            return text.ToString();
        }
    }
}
