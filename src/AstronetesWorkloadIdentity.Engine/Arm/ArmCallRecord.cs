using System;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class ArmCallRecord
    {
        internal ArmCallRecord(string method, string path, int status, string? requestId, string? errorCode, TimeSpan duration, int attempt)
        {
            Method = method;
            Path = path;
            Status = status;
            RequestId = requestId;
            ErrorCode = errorCode;
            Duration = duration;
            Attempt = attempt;
        }

        public string Method { get; }
        /// <summary>Path and query of the request; never a token.</summary>
        public string Path { get; }
        /// <summary>The HTTP status, or 0 when no response arrived.</summary>
        public int Status { get; }
        public string? RequestId { get; }
        public string? ErrorCode { get; }
        public TimeSpan Duration { get; }
        /// <summary>1 for the first try, 2 and up for retries.</summary>
        public int Attempt { get; }

        public override string ToString() => $"{Method} {Path} -> {Status} ({Duration.TotalMilliseconds:0} ms, attempt {Attempt})";
    }
}
