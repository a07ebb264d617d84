namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

public sealed class CompletionTests
{
    [Theory]
    [InlineData("New-AgentRoleAssignment -RoleDefinitionName User", "'User Access Administrator'")]
    [InlineData("New-AgentManagedIdentity -Name x -Location westeu", "westeurope")]
    public void Parameters_complete_from_the_engine_lists(string line, string expected)
    {
        using ModuleRunspace shell = ModuleRunspace.Open();
        shell.Set("line", line);
        ScriptResult result = shell.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText");
        result.AssertNoErrors();
        Assert.Contains(expected, result.Output.Cast<string>());
    }
}
