using AstronetesWorkloadIdentity.Loading;

namespace AstronetesWorkloadIdentity.Tests.Loading;

/// <summary>Issue 9: on PowerShell 7.4 (.NET 8) the runtime's System.Text.Json 8.0.0.0 must not answer a reference to 10.0.0.0.</summary>
public class DependencyLoadRuleTests
{
    private static readonly Version Asked = new(10, 0, 0, 0);

    [Fact]
    public void RuntimeNewerThanAskedIsShared() =>
        Assert.Equal(DependencySource.Runtime, DependencyLoadRule.Choose("System.Text.Json", Asked, new Version(11, 0, 0, 0), oursExists: true));

    [Fact]
    public void RuntimeEqualToAskedIsShared() =>
        Assert.Equal(DependencySource.Runtime, DependencyLoadRule.Choose("System.Text.Json", Asked, new Version(10, 0, 0, 0), oursExists: true));

    [Fact]
    public void RuntimeOlderThanAskedLoadsOurs() =>
        Assert.Equal(DependencySource.Ours, DependencyLoadRule.Choose("System.Diagnostics.DiagnosticSource", Asked, new Version(8, 0, 0, 0), oursExists: true));

    [Fact]
    public void RuntimeOlderOnlyInRevisionLoadsOurs() =>
        Assert.Equal(DependencySource.Ours, DependencyLoadRule.Choose("System.Memory.Data", new Version(10, 0, 0, 1), new Version(10, 0, 0, 0), oursExists: true));

    [Fact]
    public void RuntimeWithoutTheAssemblyLoadsOurs() =>
        Assert.Equal(DependencySource.Ours, DependencyLoadRule.Choose("Azure.Core", new Version(1, 64, 0, 0), runtimeVersion: null, oursExists: true));

    [Fact]
    public void OursAbsentLeavesItToTheRuntimeEvenWhenOlder() =>
        Assert.Equal(DependencySource.Runtime, DependencyLoadRule.Choose("System.Text.Json", Asked, new Version(8, 0, 0, 0), oursExists: false));

    [Fact]
    public void OursAbsentAndRuntimeAbsentLeavesItToTheRuntime() =>
        Assert.Equal(DependencySource.Runtime, DependencyLoadRule.Choose("Not.Shipped", Asked, runtimeVersion: null, oursExists: false));

    [Fact]
    public void NoVersionAskedTakesTheRuntimes() =>
        Assert.Equal(DependencySource.Runtime, DependencyLoadRule.Choose("System.Text.Json", requested: null, new Version(8, 0, 0, 0), oursExists: true));

    [Theory]
    [InlineData("System.Private.CoreLib")]
    [InlineData("System.Private.Uri")]
    [InlineData("System.Runtime")]
    [InlineData("mscorlib")]
    [InlineData("netstandard")]
    public void RuntimeCoreStaysTheRuntimesEvenWhenOursIsNewer(string name) =>
        Assert.Equal(DependencySource.Runtime, DependencyLoadRule.Choose(name, new Version(99, 0, 0, 0), new Version(8, 0, 0, 0), oursExists: true));

    [Fact]
    public void OrdinaryFrameworkNamesAreNotRuntimeCore()
    {
        Assert.False(DependencyLoadRule.IsRuntimeCore("System.Text.Json"));
        Assert.False(DependencyLoadRule.IsRuntimeCore("System.Runtime.CompilerServices.Unsafe"));
    }
}
