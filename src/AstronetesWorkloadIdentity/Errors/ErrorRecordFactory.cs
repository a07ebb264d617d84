using System;
using System.Text;
using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Errors
{
    /// <summary>
    /// The one place that turns engine exceptions into ErrorRecords: PascalCase <c>&lt;Noun&gt;&lt;Problem&gt;</c> IDs,
    /// a category that fits the HTTP status, the ARM resource ID as target and a recommended action where we know one.
    /// </summary>
    internal static class ErrorRecordFactory
    {
        /// <param name="noun">What the step works on, e.g. "Cluster", "Identity", "RoleAssignment", "FederatedCredential".</param>
        /// <param name="doing">What failed, e.g. "Reading cluster 'aks-ready'".</param>
        /// <param name="alreadyDone">What earlier steps left in place, appended so nothing looks lost.</param>
        /// <param name="resourceGroupFrom">The failing cmdlet's parameters that chose the resource group, for advice ("-Scope").</param>
        /// <param name="subscriptionFrom">The failing cmdlet's parameters that chose the subscription, for advice.</param>
        public static ErrorRecord FromArm(ArmException exception, string noun, string doing, string? targetId, string? alreadyDone = null, string? recommendedAction = null,
            string resourceGroupFrom = "-ResourceGroupName and -SubscriptionId", string subscriptionFrom = "-SubscriptionId", string outcome = "failed")
        {
            string errorId = ArmErrorId(noun, exception.ErrorCode);
            string? advice = recommendedAction ?? ArmRecommendedAction(exception, resourceGroupFrom, subscriptionFrom);
            // The advice goes in RecommendedAction only: an engine message that ends with it (a refused certificate) loses that part here.
            string message = doing + " " + outcome + ": " + Describe(exception, advice) + Suffix(alreadyDone);
            var record = new ErrorRecord(
                new ArmOperationException(message, exception, exception.ErrorCode, exception.Status, exception.RequestId),
                errorId,
                ArmCategory(exception.Status, exception.ErrorCode),
                exception.ResourceId ?? targetId);
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = advice,
            };
            return record;
        }

        /// <summary>
        /// The ARM failure in one line from its parts: "Code (HTTP n): ARM's message. Resource: id. Request ID: r."
        /// ARM's message is closed with a full stop when it lacks one, so the parts never run together.
        /// </summary>
        /// <param name="adviceToOmit">Advice given as the RecommendedAction; left out of ARM's message where that message ends with it.</param>
        internal static string Describe(ArmException exception, string? adviceToOmit = null)
        {
            var text = new StringBuilder();
            text.Append(exception.ErrorCode);
            if (exception.Status != 0) text.Append(" (HTTP ").Append(exception.Status).Append(')');
            string? armMessage = exception.ArmMessage;
            if (!string.IsNullOrEmpty(adviceToOmit) && armMessage != null && armMessage.TrimEnd().EndsWith(adviceToOmit!, StringComparison.Ordinal))
            {
                armMessage = armMessage.TrimEnd().Substring(0, armMessage.TrimEnd().Length - adviceToOmit!.Length);
            }
            text.Append(": ").Append(Sentence(armMessage));
            if (!string.IsNullOrEmpty(exception.ResourceId)) text.Append(" Resource: ").Append(exception.ResourceId).Append('.');
            if (!string.IsNullOrEmpty(exception.RequestId)) text.Append(" Request ID: ").Append(exception.RequestId).Append('.');
            return text.ToString();
        }

        private static string Sentence(string? text)
        {
            string trimmed = (text ?? string.Empty).Trim();
            if (trimmed.Length == 0) return "ARM gave no message.";
            char last = trimmed[trimmed.Length - 1];
            return last == '.' || last == '!' || last == '?' ? trimmed : trimmed + ".";
        }

        /// <param name="errorNoun">
        /// Names the rule in the ID when the parameter's name alone is vague (-Name checked as an identity name gives
        /// IdentityNameInvalid); null gives &lt;Parameter&gt;Invalid. One scheme, &lt;Noun&gt;Invalid, for the cmdlets' own checks
        /// and the engine's checks during a step alike.
        /// </param>
        /// <param name="parameterName">The cmdlet parameter behind an engine option of another name (ClientCertificatePath is -CertificatePath).</param>
        public static ErrorRecord FromValidation(InputValidationException exception, string? errorNoun = null, string? parameterName = null)
        {
            string engineName = exception.ParamName ?? "Parameter";
            string parameter = parameterName ?? engineName;
            string errorId = (errorNoun ?? parameter) + "Invalid";
            string rule = exception.Rule.StartsWith(engineName + ": ", StringComparison.Ordinal) ? exception.Rule.Substring(engineName.Length + 2) : exception.Rule;
            string message = parameterName != null && exception.Message.StartsWith(engineName, StringComparison.Ordinal)
                ? parameter + exception.Message.Substring(engineName.Length)
                : exception.Message;
            // The message says what is wrong, the recommended action what to do: the rule goes only in the latter.
            string ruleTail = ": " + rule + ".";
            if (message.EndsWith(ruleTail, StringComparison.Ordinal)) message = message.Substring(0, message.Length - ruleTail.Length) + ".";
            var record = new ErrorRecord(exception, errorId, ErrorCategory.InvalidArgument, parameter);
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = exception.IsMissing ? "Pass -" + parameter + "." : "-" + parameter + " must be " + rule + ".",
            };
            return record;
        }

        public static ErrorRecord FromPrecondition(SetupPreconditionException exception, string? targetId, string? alreadyDone = null)
        {
            string message = exception.Message + Suffix(alreadyDone);
            var record = new ErrorRecord(exception, exception.ErrorCode, PreconditionCategory(exception.ErrorCode), exception.ResourceId ?? targetId);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = exception.RecommendedAction };
            return record;
        }

        public static ErrorRecord FromPromptUnavailable(PromptUnavailableException exception, string? alreadyDone = null)
        {
            string message = exception.Message + Suffix(alreadyDone);
            var record = new ErrorRecord(exception, "ConfirmationPromptUnavailable", ErrorCategory.InvalidOperation, exception.Target);
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "Preview with -WhatIf, then run the line again with -Confirm:$false; or run it in an interactive PowerShell session to answer each question.",
            };
            return record;
        }

        /// <summary>A problem found by the cmdlet itself, with no engine exception behind it.</summary>
        public static ErrorRecord Problem(string errorId, ErrorCategory category, string message, object? target, string? recommendedAction = null)
        {
            var record = new ErrorRecord(new InvalidOperationException(message), errorId, category, target);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
            return record;
        }

        /// <summary>Anything else the engine lets through (a bug, or an Azure.Identity failure it did not wrap).</summary>
        public static ErrorRecord FromUnexpected(Exception exception, string noun, string doing, string? targetId, string? alreadyDone = null)
        {
            // Compared by name: the cmdlet assembly must not reference Azure.Identity (issue 4 isolates it).
            string typeName = exception.GetType().Name;
            bool authentication = typeName == "AuthenticationFailedException" || typeName == "CredentialUnavailableException";
            string message = doing + " failed: " + exception.Message + Suffix(alreadyDone);
            var record = new ErrorRecord(
                new ArmOperationException(message, exception),
                authentication ? "AzureAuthenticationFailed" : noun + "OperationFailed",
                authentication ? ErrorCategory.AuthenticationError : ErrorCategory.NotSpecified,
                targetId);
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = authentication ? SignInAction : null,
            };
            return record;
        }

        internal const string SignInAction =
            "Run Connect-AgentAzure with a credential that can sign in to this tenant (for example -ServicePrincipal -Credential, -ManagedIdentity or -AccessToken), or sign in with 'az login', then re-run.";

        internal static string ArmErrorId(string noun, string armCode)
        {
            switch (armCode)
            {
                case "ResourceNotFound":
                case "NotFound":
                    return noun + "NotFound";
                // These already name their noun, and it is not the step's resource.
                case "ResourceGroupNotFound":
                case "SubscriptionNotFound":
                case ServerCertificateUntrusted:
                case TlsHandshakeFailed:
                case AuthorityUnavailable:
                case "InvalidSubscriptionId":
                case "PrincipalNotFound":
                case "ParentResourceNotFound":
                case "RoleDefinitionNotFound":
                    return armCode;
                // ARM's answer to an unknown role GUID; the same problem as an unknown role name, so the same ID.
                case "RoleDefinitionDoesNotExist":
                    return "RoleDefinitionNotFound";
                case "AuthenticationFailed":
                case "InvalidAuthenticationToken":
                case "InvalidAuthenticationTokenAudience":
                case "ExpiredAuthenticationToken":
                    return "AzureAuthenticationFailed";
            }

            string problem = Pascal(armCode);
            return problem.StartsWith(noun, StringComparison.Ordinal) ? problem : noun + problem;
        }

        internal static ErrorCategory ArmCategory(int status, string armCode)
        {
            if (armCode == "RoleDefinitionDoesNotExist") return ErrorCategory.ObjectNotFound;
            switch (status)
            {
                case 0:
                    return armCode == "AuthenticationFailed" ? ErrorCategory.AuthenticationError
                        : armCode == ServerCertificateUntrusted ? ErrorCategory.SecurityError
                        : armCode == AuthorityUnavailable ? ErrorCategory.ResourceUnavailable
                        : ErrorCategory.ConnectionError;
                case 400:
                    return ErrorCategory.InvalidArgument;
                case 401:
                    return ErrorCategory.AuthenticationError;
                case 403:
                    return ErrorCategory.PermissionDenied;
                case 404:
                    return ErrorCategory.ObjectNotFound;
                case 409:
                    return armCode.StartsWith("Concurrent", StringComparison.Ordinal) || armCode == "OperationNotAllowed" || armCode == "AnotherOperationInProgress"
                        ? ErrorCategory.ResourceBusy
                        : ErrorCategory.ResourceExists;
                case 429:
                    return ErrorCategory.LimitsExceeded;
            }

            // ARM answered, so the network path works: the service itself is failing.
            return status >= 500 ? ErrorCategory.ResourceUnavailable : ErrorCategory.InvalidResult;
        }

        /// <summary>The engine's code for a server certificate that failed the connection's pin or the system's trust.</summary>
        internal const string ServerCertificateUntrusted = "ServerCertificateUntrusted";

        /// <summary>The engine's code for a TLS handshake that failed for another reason than the certificate.</summary>
        internal const string TlsHandshakeFailed = "TlsHandshakeFailed";

        /// <summary>The engine's code for a token endpoint that answered 5xx or 429: not a sign-in problem.</summary>
        internal const string AuthorityUnavailable = "AuthorityUnavailable";

        private static ErrorCategory PreconditionCategory(string code)
        {
            if (code == "ClusterNotReady") return ErrorCategory.NotEnabled;
            if (code.EndsWith("LimitReached", StringComparison.Ordinal)) return ErrorCategory.LimitsExceeded;
            if (code.EndsWith("Conflict", StringComparison.Ordinal)) return ErrorCategory.ResourceExists;
            if (code.EndsWith("NotFound", StringComparison.Ordinal)) return ErrorCategory.ObjectNotFound;
            return ErrorCategory.InvalidOperation;
        }

        private static string? ArmRecommendedAction(ArmException exception, string resourceGroupFrom, string subscriptionFrom)
        {
            switch (exception.ErrorCode)
            {
                case "ResourceGroupNotFound":
                    return "Check " + resourceGroupFrom + ": the resource group must exist in that subscription and be visible to the signed-in principal ('az group list -o table' lists them; Get-AgentAzureContext shows the default subscription), then re-run.";
                case "SubscriptionNotFound":
                case "InvalidSubscriptionId":
                    return "Check " + subscriptionFrom + ", or the default subscription (Get-AgentAzureContext), and that the signed-in principal can see it ('az account list -o table').";
                case "PrincipalNotFound":
                    return "The new identity has not reached the directory yet; wait a minute and re-run: what exists is reused.";
                case "AuthorizationFailed":
                    return "Ask for a role that allows this action at this scope, or connect as a principal that has one, then re-run.";
                case "RoleDefinitionDoesNotExist":
                case "RoleDefinitionNotFound":
                    return "Check -RoleDefinitionName: give a role name visible at the scope, such as 'Reader', or an existing role definition GUID ('az role definition list --name <role> --query [].name -o tsv'), then re-run: what exists is reused.";
                case ServerCertificateUntrusted:
                    return CertificateAdvice(exception);
                case AuthorityUnavailable:
                    return "The sign-in authority kept failing after the module's retries; the credential is not the problem. Try again later: what exists is reused.";
            }

            if (exception.Status == 401 || exception.ErrorCode == "AuthenticationFailed") return SignInAction;
            if (exception.Status == 429 || exception.Status >= 500)
            {
                return "ARM kept answering HTTP " + exception.Status + (exception.Status == 429 ? " (throttled)" : "")
                    + " after the module's retries. Try again later: what exists is reused."
                    + (string.IsNullOrEmpty(exception.RequestId) ? "" : " If it keeps failing, quote request ID " + exception.RequestId + " to Azure support.");
            }

            if (exception.Status == 0) return "Check the network path to the ARM endpoint and re-run: what exists is reused.";
            return null;
        }

        /// <summary>
        /// The engine's message ends with what to do about the refused certificate (which depends on whether a thumbprint
        /// is pinned); that part is the advice. Without it, the general advice.
        /// </summary>
        private static string CertificateAdvice(ArmException exception)
        {
            string message = exception.ArmMessage ?? string.Empty;
            foreach (string adviceStart in new[] { "Pass the thumbprint", "If this is a custom endpoint" })
            {
                int at = message.IndexOf(adviceStart, StringComparison.Ordinal);
                if (at >= 0)
                {
                    return message.Substring(at).Trim();
                }
            }

            return "Check -TrustedCertificateThumbprint of Connect-AgentAzure against the endpoint's certificate (with the endpoint's owner), or that the machine trusts its issuer and no proxy intercepts TLS, then re-run. Certificate validation is never switched off.";
        }

        private static string Pascal(string code)
        {
            if (string.IsNullOrEmpty(code)) return "Failed";
            var chars = code.ToCharArray();
            chars[0] = char.ToUpperInvariant(chars[0]);
            return new string(Array.FindAll(chars, char.IsLetterOrDigit));
        }

        private static string Suffix(string? alreadyDone) => string.IsNullOrEmpty(alreadyDone) ? "" : " " + alreadyDone;
    }
}
