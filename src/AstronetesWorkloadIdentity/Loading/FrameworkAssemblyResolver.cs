using System;
using System.IO;
using System.Reflection;

namespace AstronetesWorkloadIdentity.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 has one load context per AppDomain, so isolation is impossible there;
    /// this serves our copies from Dependencies/ when the runtime cannot find them itself.
    /// </summary>
    internal static class FrameworkAssemblyResolver
    {
        private static string dependencyFolder = string.Empty;

        internal static void Hook(string folder)
        {
            dependencyFolder = folder;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        internal static void Unhook() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            string candidate = Path.Combine(dependencyFolder, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
