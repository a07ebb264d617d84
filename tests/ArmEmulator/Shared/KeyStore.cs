using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ArmEmulator;

/// <summary>
/// The RSA signing keys of every party, made once per run: Entra ID's, and one per cluster issuer (keyed by the issuer's
/// uuid, so a re-created cluster - new issuer - signs with a new key that the old issuer's JWKS never published).
/// </summary>
internal sealed class KeyStore
{
    public const string EntraKeyName = "entra";
    private readonly ConcurrentDictionary<string, RsaSecurityKey> keys = new(StringComparer.OrdinalIgnoreCase);

    public RsaSecurityKey Entra => Get(EntraKeyName);

    public RsaSecurityKey ForIssuer(string issuerId) => Get("issuer:" + issuerId);

    public static SigningCredentials Signing(RsaSecurityKey key) => new(key, SecurityAlgorithms.RsaSha256);

    /// <summary>{"keys":[...]} with the public half only (kty, kid, use, alg, n, e).</summary>
    public static JsonObject Jwks(params RsaSecurityKey[] published)
    {
        var keys = new JsonArray();
        foreach (var key in published)
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
            keys.Add(new JsonObject { ["kty"] = jwk.Kty, ["kid"] = jwk.Kid, ["use"] = "sig", ["alg"] = "RS256", ["n"] = jwk.N, ["e"] = jwk.E });
        }
        return new JsonObject { ["keys"] = keys };
    }

    private RsaSecurityKey Get(string name) => keys.GetOrAdd(name, static n =>
    {
        var rsa = RSA.Create(2048);
        // kid as AKS and Entra publish it: an opaque, URL-safe thumbprint-like string.
        var kid = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..43];
        return new RsaSecurityKey(rsa) { KeyId = kid };
    });
}
