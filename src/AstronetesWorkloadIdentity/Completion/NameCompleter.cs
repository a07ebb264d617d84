using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AstronetesWorkloadIdentity.Completion
{
    /// <summary>Tab completion from a fixed list; names with spaces come back quoted so they paste as one argument.</summary>
    internal static class NameCompleter
    {
        public static IEnumerable<CompletionResult> Complete(IEnumerable<string> names, string? wordToComplete)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return names
                .Where(name => name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(name => new CompletionResult(name.IndexOf(' ') >= 0 ? "'" + name + "'" : name, name, CompletionResultType.ParameterValue, name));
        }
    }

    /// <summary>Completes -Location from the engine's region list (loaded only when someone presses Tab).</summary>
    public sealed class AzureRegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => NameCompleter.Complete(Engine.AzureRegions.Names, wordToComplete);
    }

    /// <summary>Completes -RoleDefinitionName with the built-in roles the engine knows without a lookup.</summary>
    public sealed class BuiltInRoleCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => NameCompleter.Complete(Engine.BuiltInRoles.Names, wordToComplete);
    }
}
