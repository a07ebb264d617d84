using System.Reflection;
using AstronetesWorkloadIdentity.Loading;

namespace AstronetesWorkloadIdentity.Tests.Loading;

/// <summary>
/// The cmdlet assembly lives in PowerShell's default load context, the engine and its dependencies in the private
/// one. A type of Azure.Core, System.Text.Json or DiagnosticSource in a cmdlet's signature (or anywhere in its IL)
/// would be bound by the default context: the runtime's older copy on PowerShell 7.4, or another module's.
/// </summary>
public class LoadBoundaryTests
{
    [Fact]
    public void CmdletAssemblyReferencesOnlyTheEnginePowerShellAndTheCoreFramework()
    {
        var referenced = typeof(ModuleAssemblyLifecycle).Assembly.GetReferencedAssemblies().Select(a => a.Name!).Order().ToArray();

        Assert.Contains(DependencyLoadContext.EngineAssemblyName, referenced);
        Assert.Contains("System.Management.Automation", referenced);
        var crossing = referenced.Where(n => n is not (DependencyLoadContext.EngineAssemblyName or "System.Management.Automation" or "netstandard"
            // The load context's own API, which .NET provides (compile-time package only).
            or "System.Runtime.Loader")).ToArray();
        Assert.Empty(crossing);
    }

    [Fact]
    public void EngineTypesTheCmdletsUseExposeNoDependencyTypes()
    {
        // Every engine member the cmdlet assembly's IL names would show up as a reference above; this checks the other
        // direction: whatever the engine's public surface returns stays within the engine and the core framework.
        var engine = typeof(AstronetesWorkloadIdentity.Engine.ArmConnection).Assembly;
        var leaks = engine.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .SelectMany(SignatureTypes).Select(s => (Member: t.Name + "." + (s.Member), s.Type)))
            .Where(x => IsPrivateDependency(x.Type))
            .Select(x => x.Member + ": " + x.Type.FullName)
            .ToArray();
        Assert.Empty(leaks);
    }

    private static IEnumerable<(string Member, Type Type)> SignatureTypes(MemberInfo member)
    {
        IEnumerable<Type> types = member switch
        {
            MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
            ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
            PropertyInfo p => new[] { p.PropertyType },
            FieldInfo f => new[] { f.FieldType },
            EventInfo e => new[] { e.EventHandlerType! },
            _ => Array.Empty<Type>(),
        };
        return types.SelectMany(Flatten).Select(t => (member.Name, t));
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.HasElementType) return Flatten(type.GetElementType()!);
        return type.IsGenericType ? type.GetGenericArguments().SelectMany(Flatten).Prepend(type) : new[] { type };
    }

    private static bool IsPrivateDependency(Type type)
    {
        string assembly = type.Assembly.GetName().Name!;
        return assembly is "Azure.Core" or "Azure.Identity" or "System.ClientModel" or "System.Text.Json" or "System.Memory.Data"
            or "System.Diagnostics.DiagnosticSource" or "Microsoft.Identity.Client" or "Microsoft.Bcl.AsyncInterfaces";
    }
}
