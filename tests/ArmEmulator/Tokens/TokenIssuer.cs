using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArmEmulator;

/// <summary>Claims the emulator puts in (and reads back from) an access token.</summary>
internal sealed record TokenClaims(string Audience, string TenantId, string ObjectId, string AppId, string Issuer,
    DateTimeOffset IssuedAt, DateTimeOffset NotBefore, DateTimeOffset Expires);

internal enum TokenValidationError { None, Malformed, BadSignature, Expired, NotYetValid }

/// <summary>
/// The ONE place that issues and validates the emulator's access tokens.
/// Today: HS256 JWTs with a per-run random key. Roadmap: sign with an RSA key published as JWKS
/// (swap <see cref="Sign"/>/<see cref="VerifySignature"/> and the header; callers stay unchanged).
/// </summary>
internal sealed class TokenIssuer
{
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider time;

    public TokenIssuer(TimeProvider? time = null) => this.time = time ?? TimeProvider.System;

    public string Issue(string audience, string tenantId, string objectId, string appId, string issuer, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "HS256", ["kid"] = "emulator-hs256" };
        var payload = new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = issuer,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
            ["appid"] = appId,
            ["appidacr"] = "1",
            ["idtyp"] = "app",
            ["oid"] = objectId,
            ["sub"] = objectId,
            ["tid"] = tenantId,
            ["ver"] = "1.0",
        };
        var signingInput = B64(Encoding.UTF8.GetBytes(header.ToJsonString(ArmJson.Options))) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString(ArmJson.Options)));
        return signingInput + "." + B64(Sign(signingInput));
    }

    public TokenValidationError Validate(string token, out TokenClaims? claims)
    {
        claims = null;
        var parts = token.Split('.');
        if (parts.Length != 3) return TokenValidationError.Malformed;
        JsonObject? payload;
        try
        {
            payload = JsonNode.Parse(FromB64(parts[1])) as JsonObject;
            _ = FromB64(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException) { return TokenValidationError.Malformed; }
        if (payload is null) return TokenValidationError.Malformed;
        if (!VerifySignature(parts[0] + "." + parts[1], FromB64(parts[2]))) return TokenValidationError.BadSignature;
        try
        {
            claims = new TokenClaims(
                (string?)payload["aud"] ?? "", (string?)payload["tid"] ?? "", (string?)payload["oid"] ?? "",
                (string?)payload["appid"] ?? "", (string?)payload["iss"] ?? "",
                DateTimeOffset.FromUnixTimeSeconds((long?)payload["iat"] ?? 0),
                DateTimeOffset.FromUnixTimeSeconds((long?)payload["nbf"] ?? 0),
                DateTimeOffset.FromUnixTimeSeconds((long?)payload["exp"] ?? 0));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException) { return TokenValidationError.Malformed; }
        var now = time.GetUtcNow();
        if (claims.Expires <= now) return TokenValidationError.Expired;
        if (claims.NotBefore > now.AddMinutes(5)) return TokenValidationError.NotYetValid;
        return TokenValidationError.None;
    }

    private byte[] Sign(string signingInput) => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput));

    private bool VerifySignature(string signingInput, byte[] signature) =>
        CryptographicOperations.FixedTimeEquals(Sign(signingInput), signature);

    internal static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[] FromB64(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("bad base64url") };
        return Convert.FromBase64String(s);
    }

    /// <summary>True when the text has the JWT form header.payload.signature with a JSON header and payload.</summary>
    internal static bool IsJwtShaped(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0)) return false;
        try { return JsonNode.Parse(FromB64(parts[0])) is JsonObject && JsonNode.Parse(FromB64(parts[1])) is JsonObject; }
        catch (Exception e) when (e is FormatException or JsonException) { return false; }
    }
}
