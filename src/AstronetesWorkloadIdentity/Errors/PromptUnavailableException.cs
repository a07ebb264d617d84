using System;

namespace AstronetesWorkloadIdentity.Errors
{
    /// <summary>
    /// -Confirm (or $ConfirmPreference) asked before a write in a session where no one can answer: a host without a user
    /// interface, input redirected, or -NonInteractive. Not an ARM failure; nothing was written by the step that asked.
    /// </summary>
    internal sealed class PromptUnavailableException : Exception
    {
        public PromptUnavailableException(string target, string action, Exception hostFailure)
            : base("Confirmation was required to '" + action + "' on '" + target + "', but this session cannot prompt: no one can answer the question. This step wrote nothing.", hostFailure)
        {
            Target = target;
            Action = action;
        }

        public string Target { get; }
        public string Action { get; }
    }
}
