using System;
using System.Text;
using System.Text.RegularExpressions;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Builds and reads ARM resource IDs. ARM matches segments case-insensitively and returns some IDs
    /// with a lower-case <c>resourcegroups</c>, so every comparison here ignores case.
    /// </summary>
    internal static class ArmResourceId
    {
        internal const string IdentityType = "Microsoft.ManagedIdentity/userAssignedIdentities";
        internal const string IdentityIdRule = "a user-assigned managed identity ID: /subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>";

        private static readonly Regex IdentityIdPattern = new Regex(
            @"^/subscriptions/(?<sub>[^/]+)/resourceGroups/(?<rg>[^/]+)/providers/Microsoft\.ManagedIdentity/userAssignedIdentities/(?<name>[^/]+)\z",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        public static string Subscription(string subscriptionId) => "/subscriptions/" + subscriptionId;

        public static string ResourceGroup(string subscriptionId, string resourceGroupName)
            => Subscription(subscriptionId) + "/resourceGroups/" + resourceGroupName;

        public static string ManagedCluster(string subscriptionId, string resourceGroupName, string name)
            => ResourceGroup(subscriptionId, resourceGroupName) + "/providers/Microsoft.ContainerService/managedClusters/" + name;

        public static string Identity(string subscriptionId, string resourceGroupName, string name)
            => ResourceGroup(subscriptionId, resourceGroupName) + "/providers/" + IdentityType + "/" + name;

        public static string FederatedCredential(string identityId, string name)
            => TrimSlash(identityId) + "/federatedIdentityCredentials/" + name;

        public static string RoleAssignment(string scope, string name)
            => TrimSlash(scope) + "/providers/Microsoft.Authorization/roleAssignments/" + name;

        /// <summary>Subscription-scoped form for subscription scopes, tenant form for management groups.</summary>
        public static string RoleDefinition(string scope, string roleDefinitionGuid)
        {
            var sub = SubscriptionOf(scope);
            var prefix = sub == null ? "" : Subscription(sub);
            return prefix + "/providers/Microsoft.Authorization/roleDefinitions/" + roleDefinitionGuid;
        }

        public static string? SubscriptionOf(string? id) => SegmentAfter(id, "subscriptions");

        public static string? ResourceGroupOf(string? id) => SegmentAfter(id, "resourceGroups");

        /// <summary>The value following the first segment named <paramref name="key"/>, ignoring case.</summary>
        public static string? SegmentAfter(string? id, string key)
        {
            if (string.IsNullOrEmpty(id)) return null;
            var segments = id!.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < segments.Length - 1; i++)
            {
                if (string.Equals(segments[i], key, StringComparison.OrdinalIgnoreCase)) return segments[i + 1];
            }
            return null;
        }

        public static string LastSegment(string id)
        {
            var trimmed = TrimSlash(id);
            var slash = trimmed.LastIndexOf('/');
            return slash < 0 ? trimmed : trimmed.Substring(slash + 1);
        }

        public static bool AreEqual(string? a, string? b)
            => string.Equals(a == null ? null : TrimSlash(a), b == null ? null : TrimSlash(b), StringComparison.OrdinalIgnoreCase);

        public static bool TryParseIdentityId(string? id, out string subscriptionId, out string resourceGroupName, out string name)
        {
            subscriptionId = resourceGroupName = name = "";
            if (id == null) return false;
            var match = IdentityIdPattern.Match(id);
            if (!match.Success || !InputValidator.IsGuid(match.Groups["sub"].Value)) return false;
            subscriptionId = match.Groups["sub"].Value;
            resourceGroupName = match.Groups["rg"].Value;
            name = match.Groups["name"].Value;
            return true;
        }

        /// <summary>Validates a user-assigned identity ID, including the names inside it.</summary>
        public static void ValidateIdentityId(string id, string parameterName = "IdentityId")
        {
            if (!TryParseIdentityId(id, out _, out var rg, out var name))
                throw new InputValidationException(parameterName, id ?? "", IdentityIdRule);
            InputValidator.ResourceGroupName(rg, parameterName);
            InputValidator.IdentityName(name, parameterName);
        }

        public static string TrimSlash(string value) => value.TrimEnd('/');

        /// <summary>
        /// The path with every segment between '/' percent-encoded except RFC 3986 pchar characters, so a '?', '#', '%'
        /// or '/' inside a name could never end the path or start a query. Validated names come out unchanged.
        /// </summary>
        public static string EscapePath(string path)
        {
            var segments = path.Split('/');
            for (var i = 0; i < segments.Length; i++) segments[i] = EscapeSegment(segments[i]);
            return string.Join("/", segments);
        }

        internal static string EscapeSegment(string segment)
        {
            // "." and ".." would be resolved away as relative path steps.
            if (segment.Length > 0 && segment.Trim('.').Length == 0) return segment.Replace(".", "%2E");
            var escaped = new StringBuilder(segment.Length);
            var run = new StringBuilder();
            foreach (var c in segment)
            {
                if (IsPathChar(c))
                {
                    Flush(run, escaped);
                    escaped.Append(c);
                }
                else
                {
                    run.Append(c);
                }
            }
            Flush(run, escaped);
            return escaped.ToString();
        }

        // Runs go to Uri.EscapeDataString whole, so a surrogate pair becomes its UTF-8 bytes.
        private static void Flush(StringBuilder run, StringBuilder escaped)
        {
            if (run.Length == 0) return;
            escaped.Append(Uri.EscapeDataString(run.ToString()));
            run.Clear();
        }

        // RFC 3986 pchar minus pct-encoded: unreserved, sub-delims, ':' and '@'.
        private static bool IsPathChar(char c)
            => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@".IndexOf(c) >= 0;
    }
}
