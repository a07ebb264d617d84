using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Azure;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Falls back to an older api-version when a cloud rejects the preferred one (docs/design/arm-contract.md "API versions a server
    /// accepts": sovereign clouds lag behind). Lives on the connection, not the client: clients are made per caller
    /// (per cmdlet), so only there does one rejection spare every later call of the session the same round trip.
    /// </summary>
    internal sealed class ApiVersionNegotiator
    {
        // Resource providers answer NoRegisteredProviderFound ("... The supported api-versions are 'a, b'. ..."); ARM's
        // own Microsoft.Resources types answer InvalidApiVersionParameter ("... The supported versions are 'a,b'. ...").
        private static readonly string[] RejectionCodes = { "NoRegisteredProviderFound", "InvalidApiVersionParameter" };
        private static readonly Regex SupportedList = new Regex("supported (?:api-)?versions are '(?<list>[^']*)'",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private readonly ConcurrentDictionary<string, string> _chosen = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The version to send: the one a rejection led to on this endpoint, else the preferred one.</summary>
        public string Current(Uri endpoint, ArmApiType type) =>
            _chosen.TryGetValue(Key(endpoint, type), out var version) ? version : type.Preferred;

        /// <summary>
        /// Whether <paramref name="response"/> rejects <paramref name="sent"/> as an api-version. If so, either
        /// <paramref name="fallback"/> is the newest known version the server listed (remembered for the endpoint) or
        /// <paramref name="failure"/> says that none of the known versions is listed.
        /// </summary>
        public bool IsRejection(Uri endpoint, ArmApiType type, string sent, Response response, string resourceId,
            out string? fallback, out ArmException? failure)
        {
            fallback = null;
            failure = null;
            if (response.Status != 400) return false;
            ArmErrorBody.Read(response, out var code, out var message);
            if (!RejectionCodes.Contains(code, StringComparer.OrdinalIgnoreCase)) return false;

            var supported = ParseSupported(message);
            fallback = type.Known.FirstOrDefault(v => !v.Equals(sent, StringComparison.OrdinalIgnoreCase)
                                                      && supported.Contains(v, StringComparer.OrdinalIgnoreCase));
            if (fallback != null)
            {
                _chosen[Key(endpoint, type)] = fallback;
                return true;
            }
            var why = "ARM does not accept api-version '" + sent + "' for " + type.Name + " and supports "
                      + (supported.Count == 0 ? "no version it named" : "'" + string.Join(", ", supported) + "'")
                      + "; this module knows '" + string.Join(", ", type.Known) + "', none of which the server lists. ARM said: " + message;
            failure = new ArmException(response.Status, code, why, ArmErrors.RequestIdOf(response), resourceId, new RequestFailedException(response));
            return true;
        }

        internal static IReadOnlyList<string> ParseSupported(string message)
        {
            var match = SupportedList.Match(message ?? "");
            if (!match.Success) return Array.Empty<string>();
            return match.Groups["list"].Value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
        }

        private static string Key(Uri endpoint, ArmApiType type) => endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "|" + type.Name;
    }
}
