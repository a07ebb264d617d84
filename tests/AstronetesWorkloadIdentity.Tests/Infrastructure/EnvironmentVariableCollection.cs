namespace AstronetesWorkloadIdentity.Tests.Infrastructure;

/// <summary>Tests that set process environment variables (AZURE_*, HOME) run alone: others read them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentVariableCollection
{
    public const string Name = "Process environment variables";
}

/// <summary>Sets environment variables for a test and restores the previous values on dispose.</summary>
public sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> previous = new();

    public EnvironmentScope Set(string name, string? value)
    {
        if (!previous.ContainsKey(name)) previous[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    public void Dispose()
    {
        foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
    }
}
