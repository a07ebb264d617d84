using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Tests.Engine;

/// <summary>Every segment the engine puts into a request path is escaped, so a segment can only ever be itself.</summary>
public class ArmResourceIdEscapingTests
{
    [Theory]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg(1)_x.y/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-1")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourcegroups")]
    public void ValidatedPathsAreUnchanged(string path) => Assert.Equal(path, ArmResourceId.EscapePath(path));

    [Theory]
    [InlineData("rg?x=1", "rg%3Fx=1")]
    [InlineData("rg#x", "rg%23x")]
    [InlineData("rg%2Fx", "rg%252Fx")]
    [InlineData("..", "%2E%2E")]
    [InlineData(".", "%2E")]
    [InlineData("a b", "a%20b")]
    [InlineData("gruppe-ä", "gruppe-%C3%A4")]
    public void SegmentsThatCouldChangeTheUrlAreEscaped(string segment, string escaped)
    {
        Assert.Equal(escaped, ArmResourceId.EscapeSegment(segment));
        Assert.Equal("/subscriptions/s/resourceGroups/" + escaped, ArmResourceId.EscapePath("/subscriptions/s/resourceGroups/" + segment));
    }
}
