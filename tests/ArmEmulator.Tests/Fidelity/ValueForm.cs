using System.Text;
using System.Text.RegularExpressions;

namespace ArmEmulator.Tests.Fidelity;

/// <summary>
/// Turns a facts.yaml pattern into a regex: {guid} {hex32} {time} {int} {any} are forms of varying values;
/// any other {name} (or {name:N}, a GUID without dashes) is a variable substituted literally; the rest is literal.
/// </summary>
public static partial class ValueForm
{
    private static readonly Dictionary<string, string> Forms = new()
    {
        ["guid"] = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        ["hex32"] = "[0-9a-f]{32}",
        ["time"] = @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?(Z|[+-]\d\d:\d\d)",
        ["int"] = @"\d+",
        ["any"] = ".*",
    };

    [GeneratedRegex(@"\{(?<name>[A-Za-z][A-Za-z0-9-]*)(:(?<fmt>N))?\}")]
    private static partial Regex Placeholder();

    public static Regex ToRegex(string pattern, IReadOnlyDictionary<string, string> variables)
    {
        var regex = new StringBuilder("^");
        var at = 0;
        foreach (Match m in Placeholder().Matches(pattern))
        {
            regex.Append(Regex.Escape(pattern[at..m.Index]));
            var name = m.Groups["name"].Value;
            if (Forms.TryGetValue(name, out var form)) regex.Append(form);
            else regex.Append(Regex.Escape(Variable(name, m.Groups["fmt"].Value, variables)));
            at = m.Index + m.Length;
        }
        regex.Append(Regex.Escape(pattern[at..])).Append('$');
        return new Regex(regex.ToString(), RegexOptions.Singleline);
    }

    /// <summary>Substitutes variables only (for requests).</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> variables) =>
        Placeholder().Replace(text, m => Forms.ContainsKey(m.Groups["name"].Value)
            ? throw new InvalidDataException($"A request cannot contain the form {m.Value}: {text}")
            : Variable(m.Groups["name"].Value, m.Groups["fmt"].Value, variables));

    private static string Variable(string name, string format, IReadOnlyDictionary<string, string> variables)
    {
        if (!variables.TryGetValue(name, out var value)) throw new InvalidDataException($"Unknown placeholder {{{name}}} in facts.yaml.");
        return format == "N" ? Guid.Parse(value).ToString("N") : value;
    }
}
