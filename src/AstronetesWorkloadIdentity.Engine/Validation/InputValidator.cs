using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// The naming rules of ARM and Kubernetes (docs/design/arm-contract.md), checked before any call so a typo
    /// fails fast with the rule in words instead of a 400 from ARM or, worse, an AADSTS70021 at token exchange.
    /// </summary>
    public static class InputValidator
    {
        internal const string GuidRule = "a GUID such as 00000000-0000-0000-0000-000000000000";
        internal const string ResourceGroupRule = "1-90 characters, letters, digits, '_', '-', '.', '(' and ')', not ending in '.'";
        internal const string ClusterRule = "1-63 characters, letters, digits, '-' and '_', starting and ending with a letter or digit";
        internal const string IdentityRule = "3-128 characters, letters, digits, '-' and '_', starting with a letter or digit";
        internal const string FederatedCredentialRule = "3-120 characters, letters, digits, '-' and '_', starting with a letter or digit";
        internal const string LocationRule = "an Azure region name: 1-64 letters and digits such as 'westeurope', or its display name with single spaces such as 'West Europe'";
        internal const string KnownLocationRule = "a region in this module's list of Azure regions (AzureRegions.Names), such as 'westeurope'. Check the spelling with 'az account list-locations --query [].name'; "
            + "the list is a snapshot and can lag behind new regions: if the region is real but new, omit -Location to use the resource group's location, or create the identity in it with 'az identity create' and pass it by name";
        internal const string IssuerRule = "an absolute https URL of at most 600 characters without wildcards, exactly as the cluster reports it";
        internal const string NamespaceRule = "a Kubernetes namespace (DNS-1123 label): 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit";
        internal const string ServiceAccountRule = "a Kubernetes service account name (DNS-1123 subdomain): at most 253 characters, dot-separated parts of lower-case letters, digits and '-', each starting and ending with a letter or digit";
        internal const string SubjectRule = "'system:serviceaccount:<namespace>:<service account>' of at most 600 characters";
        internal const string ScopeRule = "an ARM scope: /subscriptions/<subscription GUID>, optionally followed by /resourceGroups/<group> and /providers/<namespace>/<type>/<name>, "
            + "or /providers/Microsoft.Management/managementGroups/<group ID>; each segment made of letters, digits, '-', '_', '.', '(' and ')' "
            + "(nothing percent-encoded, no '?', '#', '..' or trailing '/')";
        internal const string RoleNameRule = "a role name of 1-512 characters without control characters, such as 'Reader'";
        internal const string TagsRule = "at most 50 tags; names of 1-512 characters without '<', '>', '%', '&', '\\', '?' or '/'; values of at most 256 characters";

        private static readonly Regex ResourceGroupPattern = new Regex(@"^[-\w\._\(\)]{1,90}\z", RegexOptions.CultureInvariant);
        private static readonly Regex ClusterPattern = new Regex(@"^[a-zA-Z0-9]\z|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]\z", RegexOptions.CultureInvariant);
        private static readonly Regex IdentityPattern = new Regex(@"^[a-zA-Z0-9][-_a-zA-Z0-9]{2,127}\z", RegexOptions.CultureInvariant);
        internal static readonly Regex FederatedCredentialPattern = new Regex(@"^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}\z", RegexOptions.CultureInvariant);
        private static readonly Regex Dns1123Label = new Regex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant);
        private static readonly Regex Dns1123Subdomain = new Regex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant);
        // One segment of an ARM scope: the characters ARM allows in names, so '?', '#', '%' and '/' can never reach a URL.
        private static readonly Regex ScopeSegment = new Regex(@"^[-\w\.\(\)]{1,260}\z", RegexOptions.CultureInvariant);
        private static readonly Regex ProviderNamespace = new Regex(@"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+\z", RegexOptions.CultureInvariant);
        private static readonly Regex ManagementGroupId = new Regex(@"^[-\w\.\(\)]{1,90}\z", RegexOptions.CultureInvariant);
        // Form only: ARM reports lower-case names ("westeurope", "eastus2euap"); users may type display names ("West Europe").
        private static readonly Regex LocationPattern = new Regex(@"^[A-Za-z0-9]+( [A-Za-z0-9]+)*\z", RegexOptions.CultureInvariant);
        private const int MaxLocationLength = 64;
        private static readonly HashSet<string> Regions = new HashSet<string>(AzureRegions.Names, StringComparer.OrdinalIgnoreCase);
        private static readonly char[] ForbiddenTagNameChars = { '<', '>', '%', '&', '\\', '?', '/' };

        public static void SubscriptionId(string value, string parameterName = "SubscriptionId") => Guid(value, parameterName);
        public static void TenantId(string value, string parameterName = "TenantId") => Guid(value, parameterName);
        public static void RoleAssignmentName(string value, string parameterName = "RoleAssignmentName") => Guid(value, parameterName);

        public static void ResourceGroupName(string value, string parameterName = "ResourceGroupName")
        {
            // \w admits Unicode letters and digits, as ARM does for resource groups.
            if (value == null || !ResourceGroupPattern.IsMatch(value) || value.EndsWith(".", StringComparison.Ordinal))
                throw Invalid(parameterName, value, ResourceGroupRule);
        }

        public static void ClusterName(string value, string parameterName = "ClusterName") => Match(value, ClusterPattern, parameterName, ClusterRule);
        public static void IdentityName(string value, string parameterName = "IdentityName") => Match(value, IdentityPattern, parameterName, IdentityRule);
        public static void FederatedCredentialName(string value, string parameterName = "FederatedCredentialName") => Match(value, FederatedCredentialPattern, parameterName, FederatedCredentialRule);

        /// <summary>
        /// The FORM of a location (letters and digits, display-name spaces allowed, at most 64 characters), not whether the
        /// region is in <see cref="AzureRegions.Names"/>: what ARM reported (a cluster's or resource group's location) is
        /// real by definition, and a hard-coded list goes stale. For a user-typed value, also apply <see cref="KnownLocation"/>.
        /// </summary>
        public static void Location(string value, string parameterName = "Location")
        {
            if (value == null || value.Length > MaxLocationLength || !LocationPattern.IsMatch(value)) throw Invalid(parameterName, value, LocationRule);
        }

        /// <summary>
        /// <see cref="Location"/>, then membership in <see cref="AzureRegions.Names"/> (case and spaces ignored, so
        /// "West Europe" passes). For a value the user typed, to catch typos before any call; never for what ARM reported.
        /// The message says how to proceed when the region is real but newer than the list.
        /// </summary>
        public static void KnownLocation(string value, string parameterName = "Location")
        {
            Location(value, parameterName);
            if (!IsKnownLocation(value)) throw Invalid(parameterName, value, KnownLocationRule);
        }

        /// <summary>True when <paramref name="value"/> names a region of <see cref="AzureRegions.Names"/> (case and spaces ignored); for a warning instead of an error.</summary>
        public static bool IsKnownLocation(string? value) => value != null && Regions.Contains(NormalizeLocation(value));

        /// <summary>The name ARM uses: lower case without spaces ("West Europe" -> "westeurope", "East US 2 EUAP" -> "eastus2euap").</summary>
        public static string NormalizeLocation(string value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            return value.Replace(" ", "").ToLowerInvariant();
        }

        public static void IssuerUrl(string value, string parameterName = "IssuerUrl")
        {
            if (value == null || value.Length == 0 || value.Length > AgentDefaults.MaxFederatedCredentialFieldLength || value.Contains("*")
                || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || value.Any(char.IsWhiteSpace))
                throw Invalid(parameterName, value, IssuerRule);
        }

        public static void KubernetesNamespace(string value, string parameterName = "Namespace")
        {
            if (value == null || value.Length > 63 || !Dns1123Label.IsMatch(value)) throw Invalid(parameterName, value, NamespaceRule);
        }

        public static void ServiceAccountName(string value, string parameterName = "ServiceAccountName")
        {
            if (value == null || value.Length > 253 || !Dns1123Subdomain.IsMatch(value)) throw Invalid(parameterName, value, ServiceAccountRule);
        }

        /// <summary>The federated credential subject of a Kubernetes service account, after validating both parts.</summary>
        public static string Subject(string ns, string serviceAccount)
        {
            KubernetesNamespace(ns);
            ServiceAccountName(serviceAccount);
            var subject = "system:serviceaccount:" + ns + ":" + serviceAccount;
            SubjectValue(subject);
            return subject;
        }

        /// <summary>A subject given whole, e.g. passed to the workflow.</summary>
        internal static void SubjectValue(string value, string parameterName = "Subject")
        {
            const string prefix = "system:serviceaccount:";
            if (value == null || value.Length > AgentDefaults.MaxFederatedCredentialFieldLength || !value.StartsWith(prefix, StringComparison.Ordinal))
                throw Invalid(parameterName, value, SubjectRule);
            var parts = value.Substring(prefix.Length).Split(':');
            if (parts.Length != 2 || parts[0].Length > 63 || !Dns1123Label.IsMatch(parts[0]) || parts[1].Length > 253 || !Dns1123Subdomain.IsMatch(parts[1]))
                throw Invalid(parameterName, value, SubjectRule);
        }

        /// <summary>
        /// The ARM scope grammar: /subscriptions/{GUID}[/resourceGroups/{group}][/providers/{namespace}/{type}/{name}[/{type}/{name}]...]...
        /// or /providers/Microsoft.Management/managementGroups/{ID}. Every segment is checked, so nothing the scope
        /// carries can become a query, a fragment or another path once it is put into a request URL.
        /// </summary>
        public static void Scope(string value, string parameterName = "Scope")
        {
            if (!IsScope(value)) throw Invalid(parameterName, value, ScopeRule);
        }

        private static bool IsScope(string? value)
        {
            if (value == null || value.Length < 2 || value[0] != '/') return false;
            string[] segments = value.Substring(1).Split('/');
            if (segments.Any(s => !ScopeSegment.IsMatch(s) || s.All(c => c == '.'))) return false;
            if (segments.Length == 4 && Is(segments[0], "providers") && Is(segments[1], "Microsoft.Management") && Is(segments[2], "managementGroups"))
                return ManagementGroupId.IsMatch(segments[3]);
            if (segments.Length < 2 || !Is(segments[0], "subscriptions") || !IsGuid(segments[1])) return false;
            int at = 2;
            if (at < segments.Length && Is(segments[at], "resourceGroups"))
            {
                if (at + 1 >= segments.Length || !IsResourceGroupName(segments[at + 1])) return false;
                at += 2;
            }

            // Each provider part: providers/{namespace}/{type}/{name}, then any number of {type}/{name} children.
            while (at < segments.Length)
            {
                if (!Is(segments[at], "providers") || at + 3 >= segments.Length || !ProviderNamespace.IsMatch(segments[at + 1])) return false;
                at += 2;
                while (at + 1 < segments.Length && !Is(segments[at], "providers")) at += 2;
                if (at == segments.Length - 1) return false;
            }

            return true;
        }

        private static bool Is(string segment, string expected) => string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase);

        private static bool IsResourceGroupName(string value) => ResourceGroupPattern.IsMatch(value) && !value.EndsWith(".", StringComparison.Ordinal);

        public static void RoleDefinitionName(string value, string parameterName = "RoleDefinitionName")
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 512 || value.Any(char.IsControl))
                throw Invalid(parameterName, value, RoleNameRule);
        }

        public static void Tags(IReadOnlyDictionary<string, string>? tags, string parameterName = "Tag")
        {
            if (tags == null) return;
            if (tags.Count > 50) throw new InputValidationException(parameterName, tags.Count + " tags", TagsRule);
            foreach (var tag in tags)
            {
                if (string.IsNullOrEmpty(tag.Key) || tag.Key.Length > 512 || tag.Key.IndexOfAny(ForbiddenTagNameChars) >= 0)
                    throw Invalid(parameterName, tag.Key, TagsRule);
                if (tag.Value == null || tag.Value.Length > 256)
                    throw Invalid(parameterName, tag.Key + "=" + tag.Value, TagsRule);
            }
        }

        internal static bool IsGuid(string? value) => value != null && System.Guid.TryParseExact(value, "D", out _);

        private static void Guid(string value, string parameterName)
        {
            if (!IsGuid(value)) throw Invalid(parameterName, value, GuidRule);
        }

        private static void Match(string value, Regex pattern, string parameterName, string rule)
        {
            if (value == null || !pattern.IsMatch(value)) throw Invalid(parameterName, value, rule);
        }

        private static InputValidationException Invalid(string parameterName, string? value, string rule)
            => new InputValidationException(parameterName, value ?? "", rule);
    }
}
