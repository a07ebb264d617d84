using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace AstronetesWorkloadIdentity.Engine.Exchange
{
    /// <summary>
    /// The non-secret claims of a JWT (iss, sub, aud, exp, oid), read without validating it: for display only. The token
    /// itself never reaches an output stream; these four are what the check may say about it.
    /// </summary>
    public sealed class TokenClaims
    {
        private TokenClaims(string? issuer, string? subject, IReadOnlyList<string> audiences, DateTimeOffset? expires, string? objectId)
        {
            Issuer = issuer;
            Subject = subject;
            Audiences = audiences;
            Expires = expires;
            ObjectId = objectId;
        }

        public string? Issuer { get; }
        public string? Subject { get; }
        public IReadOnlyList<string> Audiences { get; }
        public DateTimeOffset? Expires { get; }
        public string? ObjectId { get; }

        public override string ToString() =>
            $"iss={Issuer}, sub={Subject}, aud={string.Join(",", Audiences)}, exp={Expires?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)}";

        public static TokenClaims Read(string jwt)
        {
            var parts = (jwt ?? "").Split('.');
            if (parts.Length != 3) return new TokenClaims(null, null, Array.Empty<string>(), null, null);
            try
            {
                var payload = parts[1].Replace('-', '+').Replace('_', '/');
                payload += new string('=', (4 - payload.Length % 4) % 4);
                using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
                var root = doc.RootElement;
                string? S(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var aud = root.TryGetProperty("aud", out var a)
                    ? a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToArray()
                    : a.ValueKind == JsonValueKind.String ? new[] { a.GetString() ?? "" } : Array.Empty<string>()
                    : Array.Empty<string>();
                DateTimeOffset? exp = root.TryGetProperty("exp", out var e) && e.ValueKind == JsonValueKind.Number
                    ? DateTimeOffset.FromUnixTimeSeconds(e.GetInt64()) : (DateTimeOffset?)null;
                return new TokenClaims(S("iss"), S("sub"), aud, exp, S("oid"));
            }
            catch (Exception e) when (e is FormatException || e is JsonException || e is ArgumentException)
            {
                return new TokenClaims(null, null, Array.Empty<string>(), null, null);
            }
        }
    }
}
