using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ArmEmulator.Tests.Fidelity;

/// <summary>One row of facts.yaml (its header explains the format).</summary>
public sealed class ArmFact
{
    public string Id { get; set; } = "";
    public string Source { get; set; } = "";
    public string Fact { get; set; } = "";
    public List<FactStep> Before { get; set; } = new();
    public FactRequest Request { get; set; } = new();
    public int Status { get; set; }
    public FactHeaders? Headers { get; set; }
    public FactBody? Body { get; set; }
    public FactError? Error { get; set; }
    /// <summary>Why the emulator deliberately answers otherwise than the recording.</summary>
    public string? Deviation { get; set; }
    /// <summary>What the emulator answers instead (only with <see cref="Deviation"/>); parts left out keep the row's.</summary>
    public FactOverride? Emulator { get; set; }

    public override string ToString() => Id;

    public static IReadOnlyList<ArmFact> Load(string path) =>
        new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<List<ArmFact>>(File.ReadAllText(path));
}

public class FactRequest
{
    public string Method { get; set; } = "GET";
    public string Path { get; set; } = "";
    /// <summary>JSON text.</summary>
    public string? Body { get; set; }
    public Dictionary<string, string> Headers { get; set; } = new();
}

public sealed class FactStep : FactRequest
{
    /// <summary>Variable name → "json.path" in the answer, or "header:name".</summary>
    public Dictionary<string, string> Capture { get; set; } = new();
    /// <summary>"cluster-operation" or "replication": move the emulator clock past one.</summary>
    public string? Advance { get; set; }
}

public sealed class FactHeaders
{
    public List<string> Present { get; set; } = new();
    public List<string> Absent { get; set; } = new();
    public Dictionary<string, string> Match { get; set; } = new();
    /// <summary>Headers that must all carry the same value.</summary>
    public List<string> Equal { get; set; } = new();
}

public sealed class FactBody
{
    public bool Empty { get; set; }
    public List<string> Keys { get; set; } = new();
    public List<string> Absent { get; set; } = new();
    public Dictionary<string, string> Match { get; set; } = new();
    /// <summary>Path ("" = the whole body) → exact JSON value.</summary>
    public Dictionary<string, string> Json { get; set; } = new();
    /// <summary>Path → number of array items.</summary>
    public Dictionary<string, int> Count { get; set; } = new();
}

public sealed class FactError
{
    public string Code { get; set; } = "";
    public string Message { get; set; } = "";
}

public sealed class FactOverride
{
    public int? Status { get; set; }
    public FactHeaders? Headers { get; set; }
    public FactBody? Body { get; set; }
    public FactError? Error { get; set; }
}
