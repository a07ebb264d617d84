using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AstronetesWorkloadIdentity.Loading
{
    /// <summary>
    /// The private load context of PowerShell 7: the engine and the assemblies it brings
    /// (Azure.Core, Azure.Identity, MSAL, System.ClientModel, ...) load here from Dependencies/,
    /// while assemblies of the shared framework stay shared.
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

        // Framework assemblies (System.Text.Json, System.Memory, ...) must be the runtime's own:
        // a second copy would make types such as Span<T> differ between the engine and .NET.
        private readonly string frameworkFolder =
            Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;

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
            string fileName = assemblyName.Name + ".dll";
            if (File.Exists(Path.Combine(frameworkFolder, fileName)))
            {
                return null;
            }

            string candidate = Path.Combine(dependencyFolder, fileName);
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }

        private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName assemblyName)
        {
            return instance != null && string.Equals(assemblyName.Name, EngineAssemblyName, StringComparison.Ordinal)
                ? instance.LoadFromAssemblyName(assemblyName)
                : null;
        }
    }
}
