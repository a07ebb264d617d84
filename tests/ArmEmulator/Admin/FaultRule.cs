using System.Text.RegularExpressions;

namespace ArmEmulator;

/// <summary>
/// A fault to inject. Only <see cref="Path"/> (a regular expression matched against the request path, case-insensitive) is required.
/// A rule with only <see cref="DelayMs"/> adds latency, then the request is answered normally; <see cref="Drop"/> aborts the
/// connection; <see cref="Status"/> answers with an ARM error envelope (<see cref="Code"/>, <see cref="Message"/>) and <see cref="Headers"/>.
/// <see cref="Times"/> null = forever. <see cref="AfterHandling"/> lets the request be handled first (its change is made)
/// and then drops the connection or replaces the answer: the client cannot tell whether its write happened.
/// </summary>
public sealed class FaultRule
{
    public string? Method { get; set; }
    public string Path { get; set; } = "";
    public int? Status { get; set; }
    public string? Code { get; set; }
    public string? Message { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public int DelayMs { get; set; }
    public bool Drop { get; set; }
    public bool AfterHandling { get; set; }
    public int? Times { get; set; }
    public double Probability { get; set; } = 1.0;
}

/// <summary>Active fault rules; matching consumes one of a rule's <see cref="FaultRule.Times"/>.</summary>
internal sealed class FaultInjector
{
    private sealed class Active(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;
        public Regex Path { get; } = new(rule.Path, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        public int? Remaining { get; set; } = rule.Times;
    }

    private readonly object gate = new();
    private readonly List<Active> rules = new();

    public void Add(IEnumerable<FaultRule> newRules)
    {
        var compiled = newRules.Select(r =>
        {
            if (string.IsNullOrEmpty(r.Path)) throw new ArgumentException("A fault rule needs a path regex.");
            return new Active(r);
        }).ToList();
        lock (gate) rules.AddRange(compiled);
    }

    public void Clear() { lock (gate) rules.Clear(); }

    public FaultRule? Match(string method, string path)
    {
        lock (gate)
        {
            foreach (var a in rules)
            {
                if (a.Remaining is <= 0) continue;
                if (a.Rule.Method is { Length: > 0 } m && !m.Equals(method, StringComparison.OrdinalIgnoreCase)) continue;
                if (!a.Path.IsMatch(path)) continue;
                if (a.Rule.Probability < 1.0 && Random.Shared.NextDouble() >= a.Rule.Probability) continue;
                if (a.Remaining is not null) a.Remaining--;
                return a.Rule;
            }
            return null;
        }
    }
}
