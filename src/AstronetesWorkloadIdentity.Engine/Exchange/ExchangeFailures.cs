namespace AstronetesWorkloadIdentity.Engine.Exchange
{
    /// <summary>
    /// Entra ID's refusals of the exchange and ARM's 403, translated into which link of the chain is broken and what to do.
    /// Detail always names the code; it quotes the assertion's non-secret claims (iss, sub, aud), never a token.
    /// </summary>
    internal static class ExchangeFailures
    {
        /// <summary>The AADSTS code a new federated credential answers with until it has propagated.</summary>
        public const int NotYetPropagated = 70021;

        public static ExchangeCheckResult Translate(EntraExchangeResult r, TokenClaims assertion, ExchangeCheckSpec spec)
        {
            var subject = $"system:serviceaccount:{spec.Namespace}:{spec.ServiceAccountName}";
            var seen = $"The agent's token says iss={assertion.Issuer}, sub={assertion.Subject}, aud={string.Join(",", assertion.Audiences)}.";
            (string detail, string fix) = r.Code switch
            {
                700211 => ($"AADSTS700211: no federated credential on identity {spec.IdentityClientId} has the issuer the cluster puts in its tokens. {seen} A credential left on the old issuer after the cluster was re-created, or an issuer without its trailing slash, looks like this.",
                           $"Set the credential's issuer to exactly '{assertion.Issuer}' (Repair-AgentWorkloadIdentity fixes it)."),
                700213 => ($"AADSTS700213: no federated credential with this issuer has the subject '{assertion.Subject}' (compared exactly, case included). {seen}",
                           $"Set the credential's subject to exactly '{subject}', the namespace and service account the agent runs as."),
                700212 => ($"AADSTS700212: no federated credential with this issuer and subject lists the audience '{string.Join(",", assertion.Audiences)}'. {seen}",
                           $"Set the credential's audience to '{AgentDefaults.Audience}'."),
                70021 => ($"AADSTS70021: no federated credential matches issuer, subject and audience together, and it did not change within {spec.PropagationBound.TotalSeconds:0} s (a new credential takes effect within seconds). {seen}",
                          $"Make one credential carry issuer '{assertion.Issuer}', subject '{subject}' and audience '{AgentDefaults.Audience}'."),
                70025 => ($"AADSTS70025: identity {spec.IdentityClientId} has no federated credentials at all.",
                          "Create the credential: New-AgentFederatedCredential (or New-AgentWorkloadIdentity)."),
                700024 => ($"AADSTS700024: the service-account token was outside its valid time when Entra ID checked it (exp {assertion.Expires:u}). {seen}",
                           "Check the clocks of the cluster's nodes against real time, then run the check again; a pod's projected token is refreshed by the kubelet."),
                700016 => ($"AADSTS700016: Entra ID does not know the client ID {spec.IdentityClientId} in tenant {spec.TenantId}.",
                           "Use the identity's clientId (not its principalId) and the tenant the identity lives in."),
                50013 => ($"AADSTS50013: the token's signature does not verify against the keys the issuer publishes. {seen}",
                          "The issuer's discovery document and JWKS must be reachable and current; rotate or re-enable the OIDC issuer if its keys changed."),
                _ => ($"Entra ID refused the exchange ({r.Status} {r.Error}{(r.Code is int c ? ", AADSTS" + c : "")}): {FirstSentence(r.Description)}", "See the AADSTS code in Microsoft's documentation."),
            };
            return new ExchangeCheckResult(ExchangeChecks.TokenExchange, CheckOutcome.Fail, detail, fix);
        }

        public static ExchangeCheckResult Forbidden(ArmException e, ExchangeCheckSpec spec, System.TimeSpan waited) =>
            new ExchangeCheckResult(ExchangeChecks.ArmAsAgent, CheckOutcome.Fail,
                $"403 {e.ErrorCode}: ARM refused the agent a read at {spec.Scope} (waited {waited.TotalSeconds:0} s for a new role assignment to take effect). The role assignment is missing, at another scope, or not effective yet.",
                $"Assign the agent's identity a reading role at {spec.Scope}: New-AgentRoleAssignment (Reader by default).");

        /// <summary>Entra appends trace and correlation IDs and a timestamp: keep the first sentence.</summary>
        private static string FirstSentence(string? text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            var trace = text!.IndexOf(" Trace ID:", System.StringComparison.Ordinal);
            return trace > 0 ? text.Substring(0, trace) : text;
        }
    }
}
