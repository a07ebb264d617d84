using System;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Input that breaks an ARM or Kubernetes rule, caught before any network call.</summary>
    public sealed class InputValidationException : ArgumentException
    {
        private readonly string _message;

        /// <param name="value">Shown in the message; pass null for secrets.</param>
        public InputValidationException(string parameterName, string? value, string rule)
            : this(parameterName, rule, value == null ? parameterName + " is not valid: " + rule + "." : parameterName + " '" + value + "' is not valid: " + rule + ".", (Exception?)null)
        {
        }

        internal InputValidationException(string parameterName, string rule, string message, Exception? innerException)
            : base(message, parameterName, innerException)
        {
            _message = message;
            Rule = parameterName + ": " + rule;
        }

        internal static InputValidationException Missing(string parameterName, string why)
            => new InputValidationException(parameterName, why, parameterName + " is required " + why + ".", null) { IsMissing = true };

        /// <summary>True when the value was absent rather than wrong: the rule then says why it is needed.</summary>
        public bool IsMissing { get; private set; }

        /// <summary>The parameter and the rule in words, e.g. "IdentityName: 3-128 characters, ...".</summary>
        public string Rule { get; }

        // ArgumentException appends "(Parameter 'x')" on .NET Core; the message already names the parameter.
        public override string Message => _message;
    }
}
