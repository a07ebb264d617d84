using System;
using System.IO;
using System.Runtime.InteropServices;

namespace AstronetesWorkloadIdentity.Loading
{
    /// <summary>
    /// Chooses how the engine and its dependencies are found: a private load context on
    /// PowerShell 7, an AssemblyResolve handler on Windows PowerShell 5.1.
    /// </summary>
    internal static class DependencyResolver
    {
        /// <summary>Where build.ps1 puts the engine and everything it depends on.</summary>
        internal static string DependencyFolder { get; } = Path.Combine(
            Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? string.Empty,
            "Dependencies");

        private static readonly bool IsNetFramework =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        private static readonly object Gate = new object();
        private static bool hooked;

        internal static void Hook()
        {
            lock (Gate)
            {
                // A flat layout (the xunit host, a developer's bin folder) resolves everything itself.
                if (hooked || !Directory.Exists(DependencyFolder))
                {
                    return;
                }

                // The two hooks live in separate classes so that .NET Framework never JIT-compiles
                // code that names AssemblyLoadContext, which it does not have.
                if (IsNetFramework)
                {
                    FrameworkAssemblyResolver.Hook(DependencyFolder);
                }
                else
                {
                    DependencyLoadContext.Hook(DependencyFolder);
                }

                hooked = true;
            }
        }

        internal static void Unhook()
        {
            lock (Gate)
            {
                if (!hooked)
                {
                    return;
                }

                if (IsNetFramework)
                {
                    FrameworkAssemblyResolver.Unhook();
                }
                else
                {
                    DependencyLoadContext.Unhook();
                }

                hooked = false;
            }
        }
    }
}
