using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>
/// Discovery documents: the authority's GET /{tenant}/v2.0/.well-known/openid-configuration (and its JWKS), and each
/// cluster's OIDC issuer GET {issuerURL}.well-known/openid-configuration naming exactly the same issuer (and its JWKS).
/// The JWKS publish the RSA keys of the shared KeyStore: Entra's, and each issuer's (service-account tokens).
/// </summary>
internal static partial class OidcEndpoints
{
    [GeneratedRegex(@"^/(?<tenant>[^/]+)/v2\.0/\.well-known/openid-configuration$", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorityMetadata();
    [GeneratedRegex(@"^/(?<tenant>[^/]+)/discovery/v2\.0/keys$", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorityKeys();
    [GeneratedRegex(@"^/oic/(?<region>[^/]+)/(?<tenant>[^/]+)/(?<id>[^/]+)/(?<doc>\.well-known/openid-configuration|openid/v1/jwks)$", RegexOptions.IgnoreCase)]
    private static partial Regex ClusterIssuer();

    public static string AuthorityIssuer(EmulatorRuntime runtime) => $"{runtime.Authority}/v2.0";

    public static async Task<bool> TryHandleAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var path = context.Request.Path.Value ?? "";
        if (!HttpMethods.IsGet(context.Request.Method)) return false;
        Match m;
        if ((m = AuthorityMetadata().Match(path)).Success || (m = AuthorityKeys().Match(path)).Success)
        {
            var tenantId = runtime.Store.Read(s => s.TenantId);
            if (!m.Groups["tenant"].Value.Equals(tenantId, StringComparison.OrdinalIgnoreCase))
            {
                context.Items[ArmErrors.ErrorCodeItem] = "invalid_tenant";
                await Json(context, 400, new JsonObject
                {
                    ["error"] = "invalid_tenant",
                    ["error_description"] = $"AADSTS90002: Tenant '{m.Groups["tenant"].Value}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
                    ["error_codes"] = new JsonArray(90002),
                });
                return true;
            }
            if (path.EndsWith("/keys", StringComparison.OrdinalIgnoreCase))
            {
                await Json(context, 200, KeyStore.Jwks(runtime.Keys.Entra));
                return true;
            }
            var authority = runtime.Authority;
            await Json(context, 200, new JsonObject
            {
                ["token_endpoint"] = $"{authority}/oauth2/v2.0/token",
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
                ["jwks_uri"] = $"{authority}/discovery/v2.0/keys",
                ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
                ["subject_types_supported"] = new JsonArray("pairwise"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
                ["issuer"] = AuthorityIssuer(runtime),
                ["request_uri_parameter_supported"] = false,
                ["authorization_endpoint"] = $"{authority}/oauth2/v2.0/authorize",
                ["device_authorization_endpoint"] = $"{authority}/oauth2/v2.0/devicecode",
                ["end_session_endpoint"] = $"{authority}/oauth2/v2.0/logout",
                ["http_logout_supported"] = true,
                ["frontchannel_logout_supported"] = true,
                ["tenant_region_scope"] = "EU",
                ["cloud_instance_name"] = "microsoftonline.com",
                ["cloud_graph_host_name"] = "graph.windows.net",
                ["msgraph_host"] = "graph.microsoft.com",
            });
            return true;
        }
        if ((m = ClusterIssuer().Match(path)).Success)
        {
            var id = m.Groups["id"].Value;
            var cluster = runtime.Store.Read(s => s.Clusters.FirstOrDefault(c => c.OidcIssuerEnabled && StateStore.Eq(c.OidcIssuerId, id)));
            if (cluster is null || !m.Groups["region"].Value.Equals(cluster.Location, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = 404;
                return true;
            }
            var issuer = runtime.IssuerUrl(cluster);
            if (m.Groups["doc"].Value.StartsWith("openid", StringComparison.OrdinalIgnoreCase))
            {
                await Json(context, 200, KeyStore.Jwks(runtime.Keys.ForIssuer(cluster.OidcIssuerId)));
                return true;
            }
            // Shape of an AKS issuer's discovery document (issuer, jwks_uri "{issuer}openid/v1/jwks").
            await Json(context, 200, new JsonObject
            {
                ["issuer"] = issuer,
                ["jwks_uri"] = issuer + "openid/v1/jwks",
                ["response_types_supported"] = new JsonArray("id_token"),
                ["subject_types_supported"] = new JsonArray("public"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            });
            return true;
        }
        return false;
    }

    private static Task Json(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(ArmJson.Options));
    }
}
