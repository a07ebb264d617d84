using System.Reflection;

namespace AstronetesWorkloadIdentity
{
    internal static class ModuleInfo
    {
        public const string Name = "AstronetesWorkloadIdentity";

        public static string Version { get; } =
            typeof(ModuleInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
            ?? typeof(ModuleInfo).Assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";

        /// <summary>
        /// Lets ARM request logs tell this module's calls apart. Short on purpose: Azure.Core rejects an
        /// application ID of more than 24 characters, and the full module name with a version is longer.
        /// </summary>
        public static string UserAgent => "AstronetesWI/" + Version;
    }
}
