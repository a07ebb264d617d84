using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ArmEmulator;

/// <summary>An Entra ID refusal: HTTP status, OAuth error, AADSTS code and text (TokenEndpoint writes the body).</summary>
internal sealed record EntraRefusal(int Status, string Error, int Code, string Description);

/// <summary>
/// Entra ID's side of workload identity federation: a client_assertion for a managed identity's client ID is accepted
/// only when it is a JWT, unexpired, signed by a key in its issuer's JWKS (here: a cluster issuer this emulator serves),
/// and one federated identity credential of that identity matches its issuer, subject and audience exactly (case included).
/// Codes and wording as Entra answers: 700024, 70025, 700211, 700213, 700212, 70021, 50027, 50013.
/// </summary>
internal static partial class FederatedAssertion
{
    private static readonly JsonWebTokenHandler Handler = new();

    [GeneratedRegex(@"/oic/(?<region>[^/]+)/(?<tenant>[^/]+)/(?<id>[^/]+)/$", RegexOptions.IgnoreCase)]
    private static partial Regex IssuerPath();

    /// <summary>Null when the assertion is accepted. Caller holds the state lock.</summary>
    public static EntraRefusal? Check(EmulatorRuntime runtime, string clientId, string assertion)
    {
        JsonWebToken jwt;
        try { jwt = Handler.ReadJsonWebToken(assertion); }
        catch (ArgumentException) { return new(401, "invalid_client", 50027, "AADSTS50027: JWT token is invalid or malformed."); }

        var now = runtime.Time.GetUtcNow();
        var iss = jwt.Issuer ?? "";
        var sub = jwt.Subject ?? "";
        var auds = jwt.Audiences.ToList();
        if (jwt.ValidTo == DateTime.MinValue || new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) <= now)
            return new(400, "invalid_client", 700024,
                $"AADSTS700024: Client assertion is not within its valid time range. Current time: {now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}, assertion valid from {jwt.ValidFrom:yyyy-MM-ddTHH:mm:ss.fffffffZ}, expiry time of assertion {jwt.ValidTo:yyyy-MM-ddTHH:mm:ss.fffffffZ}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .");

        var identity = runtime.Store.Current.Identities.FirstOrDefault(i => StateStore.Eq(i.ClientId, clientId));
        var credentials = identity?.FederatedIdentityCredentials ?? new List<FederatedCredentialState>();
        if (credentials.Count == 0)
            return new(400, "invalid_request", 70025,
                $"AADSTS70025: The client '{clientId}'({identity?.Name ?? clientId}) has no configured federated identity credentials.");

        var byIssuer = credentials.Where(f => string.Equals(f.Issuer, iss, StringComparison.Ordinal)).ToList();
        if (byIssuer.Count == 0)
            return new(400, "invalid_request", 700211, $"AADSTS700211: No matching federated identity record found for presented assertion issuer '{iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation");

        if (!SignatureVerifies(runtime, jwt, iss))
            return new(401, "invalid_client", 50013, "AADSTS50013: Assertion failed signature validation. [Reason - The key was not found.]");

        var bySubject = byIssuer.Where(f => string.Equals(f.Subject, sub, StringComparison.Ordinal)).ToList();
        if (bySubject.Count == 0)
            return new(400, "invalid_request", 700213, $"AADSTS700213: No matching federated identity record found for presented assertion subject '{sub}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation");

        bool HasAudience(FederatedCredentialState f) => f.Audiences.Any(a => auds.Contains(a, StringComparer.Ordinal));
        // A credential Entra has not propagated yet (state: effectiveAt) matches nothing; the azwi FAQ reports AADSTS70021 in that window.
        bool Effective(FederatedCredentialState f) => f.EffectiveAt is not { } at || at <= now;
        if (bySubject.Any(f => HasAudience(f) && Effective(f))) return null;
        if (bySubject.Any(HasAudience))
            return new(400, "invalid_request", 70021, $"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '{iss}'. Assertion Subject: '{sub}'. Assertion Audience: '{string.Join(",", auds)}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation");
        if (byIssuer.Any(HasAudience))
            return new(400, "invalid_request", 70021, $"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '{iss}'. Assertion Subject: '{sub}'. Assertion Audience: '{string.Join(",", auds)}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation");
        return new(400, "invalid_request", 700212, $"AADSTS700212: No matching federated identity record found for presented assertion audience '{string.Join(",", auds)}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation");
    }

    /// <summary>The issuer's JWKS as the emulator publishes it: only a cluster issuer it serves, with OIDC on, has keys.</summary>
    private static bool SignatureVerifies(EmulatorRuntime runtime, JsonWebToken jwt, string iss)
    {
        var m = IssuerPath().Match(iss);
        if (!m.Success || !iss.StartsWith(runtime.BaseUri.ToString(), StringComparison.Ordinal)) return false;
        var cluster = runtime.Store.Current.Clusters.FirstOrDefault(c => c.OidcIssuerEnabled && runtime.IssuerUrl(c) == iss);
        if (cluster is null) return false;
        var result = Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = runtime.Keys.ForIssuer(cluster.OidcIssuerId), ValidateIssuer = false, ValidateAudience = false,
            ValidateLifetime = false, ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        }).GetAwaiter().GetResult();
        return result.IsValid;
    }
}
