using System;

namespace AstronetesWorkloadIdentity.Errors
{
    /// <summary>Carries the step's own message (what failed, what was kept) while keeping the engine's exception as inner.</summary>
    public sealed class ArmOperationException : Exception
    {
        public ArmOperationException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
