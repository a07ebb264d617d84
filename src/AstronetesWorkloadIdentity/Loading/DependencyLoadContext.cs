using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AstronetesWorkloadIdentity.Loading
{
    /// <summary>
    /// The private load context of PowerShell 7: the engine and the assemblies it brings
    /// (Azure.Core, Azure.Identity, MSAL, System.ClientModel, ...) load here from Dependencies/,
    /// while the runtime's assemblies stay shared wherever they are at least the version asked for.
    /// </summary>
    /// <remarks>
    /// Pattern from the PowerShell docs page "Resolving PowerShell module assembly dependency
    /// conflicts" and PowerShellEditorServices' load context: the default context resolves only
    /// the engine's name through us; everything the engine references then resolves inside here.
    /// </remarks>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        internal const string EngineAssemblyName = "AstronetesWorkloadIdentity.Engine";

        private static DependencyLoadContext? instance;

        private readonly string dependencyFolder;

        // What the default context would bind each name to: the runtime's assemblies and the host's own (PowerShell's
        // app folder), as the host listed them at start-up. Read once; the list never changes in a process.
        private readonly Lazy<Dictionary<string, string>> runtimeAssemblies =
            new Lazy<Dictionary<string, string>>(ReadTrustedPlatformAssemblies);

        private DependencyLoadContext(string dependencyFolder)
        {
            this.dependencyFolder = dependencyFolder;
        }

        internal static void Hook(string dependencyFolder)
        {
            // One context per process: a re-import after Remove-Module must reuse the engine
            // already loaded, since a non-collectible context cannot be unloaded.
            instance ??= new DependencyLoadContext(dependencyFolder);
            Default.Resolving += ResolveEngine;
        }

        internal static void Unhook() => Default.Resolving -= ResolveEngine;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string name = assemblyName.Name ?? string.Empty;
            string candidate = Path.Combine(dependencyFolder, name + ".dll");
            DependencySource source = DependencyLoadRule.Choose(
                name, assemblyName.Version, RuntimeVersionOf(name), File.Exists(candidate));
            return source == DependencySource.Ours ? LoadFromAssemblyPath(candidate) : null;
        }

        private Version? RuntimeVersionOf(string name)
        {
            if (!runtimeAssemblies.Value.TryGetValue(name, out string? path))
            {
                return null;
            }

            try
            {
                return AssemblyName.GetAssemblyName(path).Version;
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static Dictionary<string, string> ReadTrustedPlatformAssemblies()
        {
            var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string;
            IEnumerable<string> paths = list != null
                ? list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries)
                // A host that gives no list (none known today): the shared framework's folder is the runtime's set.
                : Directory.EnumerateFiles(Path.GetDirectoryName(typeof(object).Assembly.Location) ?? ".", "*.dll");
            foreach (string path in paths)
            {
                byName[Path.GetFileNameWithoutExtension(path)] = path;
            }

            return byName;
        }

        private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName assemblyName)
        {
            return instance != null && string.Equals(assemblyName.Name, EngineAssemblyName, StringComparison.Ordinal)
                ? instance.LoadFromAssemblyName(assemblyName)
                : null;
        }
    }
}
