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

        /// <summary>Lets ARM request logs tell this module's calls apart (the engine lifts Azure.Core's 24-character cap).</summary>
        public static string UserAgent => Name + "/" + Version;
    }
}
