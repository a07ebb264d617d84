using System;
using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class AzureCloudEnvironment
    {
        private AzureCloudEnvironment(string name, Uri resourceManagerEndpoint, Uri authorityHost)
        {
            Name = name;
            ResourceManagerEndpoint = resourceManagerEndpoint;
            AuthorityHost = authorityHost;
            DefaultScope = resourceManagerEndpoint.AbsoluteUri.TrimEnd('/') + "/.default";
        }

        /// <summary>AzureCloud, AzureChinaCloud, AzureUSGovernment or Custom.</summary>
        public string Name { get; }
        public Uri ResourceManagerEndpoint { get; }
        public Uri AuthorityHost { get; }
        public string DefaultScope { get; }

        internal bool IsCustom => Name == "Custom";

        public static AzureCloudEnvironment AzureCloud { get; } = new AzureCloudEnvironment(
            "AzureCloud", new Uri("https://management.azure.com/"), new Uri("https://login.microsoftonline.com/"));
        public static AzureCloudEnvironment AzureChinaCloud { get; } = new AzureCloudEnvironment(
            "AzureChinaCloud", new Uri("https://management.chinacloudapi.cn/"), new Uri("https://login.chinacloudapi.cn/"));
        public static AzureCloudEnvironment AzureUSGovernment { get; } = new AzureCloudEnvironment(
            "AzureUSGovernment", new Uri("https://management.usgovcloudapi.net/"), new Uri("https://login.microsoftonline.us/"));

        public static IReadOnlyList<AzureCloudEnvironment> KnownClouds { get; } = new[] { AzureCloud, AzureChinaCloud, AzureUSGovernment };

        public static AzureCloudEnvironment FromName(string name)
        {
            var cloud = KnownClouds.FirstOrDefault(c => string.Equals(c.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (cloud != null) return cloud;
            var rule = "one of " + string.Join(", ", KnownClouds.Select(c => c.Name)) + ", or a custom cloud given by its endpoints";
            throw new InputValidationException("Cloud", name, rule);
        }

        public static AzureCloudEnvironment Custom(Uri resourceManagerEndpoint, Uri authorityHost)
        {
            RequireAbsoluteHttps(resourceManagerEndpoint, "ResourceManagerEndpoint");
            RequireAbsoluteHttps(authorityHost, "AuthorityHost");
            return new AzureCloudEnvironment("Custom", resourceManagerEndpoint, authorityHost);
        }

        private static void RequireAbsoluteHttps(Uri? uri, string parameterName)
        {
            if (uri == null || !uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps)
                throw new InputValidationException(parameterName, uri?.OriginalString, "an absolute https URL");
        }

        public override string ToString() => Name;
    }
}
