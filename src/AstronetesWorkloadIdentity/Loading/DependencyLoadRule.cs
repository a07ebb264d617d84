using System;

namespace AstronetesWorkloadIdentity.Loading
{
    /// <summary>Where the private load context takes an assembly from.</summary>
    internal enum DependencySource
    {
        /// <summary>Leave it to the default context: the runtime's (or PowerShell's) copy, or its own "not found".</summary>
        Runtime,

        /// <summary>Load our copy from Dependencies/ into the private context.</summary>
        Ours,
    }

    /// <summary>
    /// The load rule of <see cref="DependencyLoadContext"/>, kept free of I/O so each case can be tested.
    /// </summary>
    /// <remarks>
    /// PowerShell 7.4 runs on .NET 8 and 7.5 on .NET 9, while Azure.Core, System.ClientModel and the engine
    /// reference System.Text.Json and System.Diagnostics.DiagnosticSource 10.0.0.0. Deferring by name alone hands
    /// them the runtime's 8.0.0.0, which the binder refuses; deferring only to an equal or newer copy keeps the
    /// runtime's assemblies wherever they satisfy the reference (one Span, one Task for everybody) and loads ours
    /// only where they cannot.
    /// </remarks>
    internal static class DependencyLoadRule
    {
        internal static DependencySource Choose(string name, Version? requested, Version? runtimeVersion, bool oursExists)
        {
            // The core of the runtime defines the types everything else exchanges: a private second copy would make
            // object, string or Span<T> differ between the engine and .NET. Never ours, whatever version is asked for.
            if (IsRuntimeCore(name))
            {
                return DependencySource.Runtime;
            }

            if (!oursExists)
            {
                // Nothing better to offer: the default context either satisfies the reference or reports why not.
                return DependencySource.Runtime;
            }

            if (runtimeVersion == null)
            {
                return DependencySource.Ours;
            }

            // A reference without a version (Assembly.Load("Name")) takes whatever the runtime has.
            return runtimeVersion >= (requested ?? new Version(0, 0)) ? DependencySource.Runtime : DependencySource.Ours;
        }

        /// <summary>Assemblies that only the runtime may provide: CoreLib, its facades and the reference surfaces over it.</summary>
        internal static bool IsRuntimeCore(string name) =>
            name.StartsWith("System.Private.", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "System.Runtime", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "mscorlib", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "netstandard", StringComparison.OrdinalIgnoreCase);
    }
}
