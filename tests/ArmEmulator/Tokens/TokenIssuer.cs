using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ArmEmulator;

/// <summary>Claims the emulator puts in (and reads back from) an access token.</summary>
internal sealed record TokenClaims(string Audience, string TenantId, string ObjectId, string AppId, string Issuer,
    DateTimeOffset IssuedAt, DateTimeOffset NotBefore, DateTimeOffset Expires);

internal enum TokenValidationError { None, Malformed, BadSignature, Expired, NotYetValid }

/// <summary>
/// The ONE place that issues and validates Entra ID's access tokens: RS256 with Entra's key from the shared
/// <see cref="KeyStore"/> (published at /{tenant}/discovery/v2.0/keys), signed and checked by Microsoft.IdentityModel.
/// </summary>
internal sealed class TokenIssuer
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider time;
    private readonly KeyStore keys;

    public TokenIssuer(TimeProvider time, KeyStore keys)
    {
        this.time = time;
        this.keys = keys;
    }

    public string Issue(string audience, string tenantId, string objectId, string appId, string issuer, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.AddMinutes(-5).UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = KeyStore.Signing(keys.Entra),
            Claims = new Dictionary<string, object>
            {
                ["appid"] = appId, ["appidacr"] = "2", ["idtyp"] = "app", ["oid"] = objectId, ["sub"] = objectId, ["tid"] = tenantId, ["ver"] = "1.0",
            },
        });
    }

    public TokenValidationError Validate(string token, out TokenClaims? claims)
    {
        claims = null;
        if (!Handler.CanReadToken(token)) return TokenValidationError.Malformed;
        JsonWebToken jwt;
        try { jwt = Handler.ReadJsonWebToken(token); }
        catch (ArgumentException) { return TokenValidationError.Malformed; }
        // The signature only: the times are judged below against the emulator's shared clock.
        var result = Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = keys.Entra, ValidateIssuer = false, ValidateAudience = false, ValidateLifetime = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        }).GetAwaiter().GetResult();
        if (!result.IsValid) return TokenValidationError.BadSignature;
        string Claim(string type) => jwt.TryGetPayloadValue<string>(type, out var v) ? v : "";
        claims = new TokenClaims(jwt.Audiences.FirstOrDefault() ?? "", Claim("tid"), Claim("oid"), Claim("appid"), jwt.Issuer,
            new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero), new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        var now = time.GetUtcNow();
        if (claims.Expires <= now) return TokenValidationError.Expired;
        if (claims.NotBefore > now.AddMinutes(5)) return TokenValidationError.NotYetValid;
        return TokenValidationError.None;
    }
}
