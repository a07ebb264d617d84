using System;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// ARM's terminal states, for a resource's provisioningState and an Azure-AsyncOperation status alike
    /// (ARM resource provider contract, "Asynchronous operations"); every other value means "still running".
    /// </summary>
    internal static class ProvisioningStates
    {
        public const string Succeeded = "Succeeded";
        public const string Failed = "Failed";
        public const string Canceled = "Canceled";

        public static bool IsTerminal(string? state) => IsSucceeded(state) || Is(state, Failed) || Is(state, Canceled);

        public static bool IsSucceeded(string? state) => Is(state, Succeeded);

        // A missing state is how some api-versions report a resource at rest.
        public static bool IsAtRest(string? state) => string.IsNullOrEmpty(state) || IsTerminal(state);

        private static bool Is(string? state, string expected) => string.Equals(state, expected, StringComparison.OrdinalIgnoreCase);
    }
}
