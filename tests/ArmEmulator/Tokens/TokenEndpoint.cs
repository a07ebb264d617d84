using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>
/// Entra ID v2 token endpoint: POST /{tenant}/oauth2/v2.0/token (form body), client credentials with a client secret or a
/// client assertion. Error bodies follow AAD's shape: {"error","error_description","error_codes",...}.
/// </summary>
internal static partial class TokenEndpoint
{
    [GeneratedRegex(@"^/(?<tenant>[^/]+)/oauth2/v2\.0/token/?$", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPath();

    public static bool IsTokenRequest(string path) => TokenPath().IsMatch(path);

    public static async Task<bool> TryHandleAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var m = TokenPath().Match(context.Request.Path.Value ?? "");
        if (!m.Success) return false;
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await Error(context, 405, "invalid_request", 900561, "AADSTS900561: The endpoint only accepts POST requests.");
            return true;
        }
        var tenant = m.Groups["tenant"].Value;
        var tenantId = runtime.Store.Read(s => s.TenantId);
        if (!tenant.Equals(tenantId, StringComparison.OrdinalIgnoreCase))
        {
            await Error(context, 400, "invalid_request", 90002,
                $"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");
            return true;
        }
        if (!context.Request.HasFormContentType)
        {
            await Error(context, 400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
            return true;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string? F(string key) => form.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v.ToString()) ? v.ToString() : null;

        var grantType = F("grant_type");
        if (grantType is null)
        {
            await Error(context, 400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
            return true;
        }
        if (grantType != "client_credentials")
        {
            await Error(context, 400, "unsupported_grant_type", 70003, $"AADSTS70003: The app requested an unsupported grant type '{grantType}'.");
            return true;
        }
        var clientId = F("client_id");
        if (clientId is null)
        {
            await Error(context, 400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'client_id'.");
            return true;
        }
        var scope = F("scope");
        if (scope is null)
        {
            await Error(context, 400, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'scope'.");
            return true;
        }

        var principal = runtime.Store.Read(s => s.Principals.FirstOrDefault(p => StateStore.Eq(p.AppId, clientId)));
        if (principal is null)
        {
            // AAD answers an unknown client id with 400 unauthorized_client (AADSTS700016).
            await Error(context, 400, "unauthorized_client", 700016,
                $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
            return true;
        }
        var secret = F("client_secret");
        var assertion = F("client_assertion");
        if (secret is not null)
        {
            if (principal.ClientSecret is null || !string.Equals(principal.ClientSecret, secret, StringComparison.Ordinal))
            {
                await Error(context, 401, "invalid_client", 7000215,
                    $"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");
                return true;
            }
        }
        else if (assertion is not null)
        {
            if (F("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                await Error(context, 400, "invalid_request", 50027, "AADSTS50027: JWT token is invalid or malformed. The client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.");
                return true;
            }
            // Workload identity federation: Entra/FederatedAssertion.cs checks it against the identity's credentials and the issuer's keys.
            if (runtime.Store.Read(_ => FederatedAssertion.Check(runtime, clientId, assertion)) is { } refusal)
            {
                await Error(context, refusal.Status, refusal.Error, refusal.Code, refusal.Description);
                return true;
            }
        }
        else
        {
            await Error(context, 401, "invalid_client", 7000218,
                "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
            return true;
        }

        // The resource is the scope without "/.default": "https://management.azure.com//.default" → "https://management.azure.com/".
        var resourceScope = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(s => s is not ("openid" or "profile" or "offline_access")) ?? scope;
        if (!resourceScope.EndsWith("/.default", StringComparison.Ordinal))
        {
            await Error(context, 400, "invalid_scope", 1002012,
                $"AADSTS1002012: The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
            return true;
        }
        var audience = resourceScope[..^"/.default".Length];
        if (!TenantResources.IsKnown(audience, runtime.BaseUri))
        {
            await Error(context, 400, "invalid_resource", 500011,
                $"AADSTS500011: The resource principal named {audience} was not found in the tenant named {tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");
            return true;
        }

        var lifetime = runtime.Clock.Real(runtime.Options.TokenLifetime);
        var token = runtime.Tokens.Issue(audience, tenantId, principal.ObjectId, principal.AppId!, OidcEndpoints.AuthorityIssuer(runtime), lifetime);
        context.Response.Headers.CacheControl = "no-store, no-cache";
        context.Response.ContentType = "application/json; charset=utf-8";
        var seconds = (long)lifetime.TotalSeconds;
        await context.Response.WriteAsync(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = seconds,
            ["ext_expires_in"] = seconds,
            ["access_token"] = token,
        }.ToJsonString(ArmJson.Options));
        return true;
    }

    private static async Task Error(HttpContext context, int status, string error, int code, string description)
    {
        context.Items[ArmErrors.ErrorCodeItem] = error;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var traceId = Guid.NewGuid().ToString();
        var correlationId = context.Request.Headers["client-request-id"].FirstOrDefault() ?? Guid.NewGuid().ToString();
        var now = DateTime.UtcNow;
        await context.Response.WriteAsync(new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"{description} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {now:yyyy-MM-dd HH:mm:ssZ}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = now.ToString("yyyy-MM-dd HH:mm:ssZ"),
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={code}",
        }.ToJsonString(ArmJson.Options));
    }
}
