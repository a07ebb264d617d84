using AstronetesWorkloadIdentity.Engine;
using Xunit;

namespace AstronetesWorkloadIdentity.Tests.Engine;

/// <summary>The engine's preferred and fallback versions come from the one table of published versions.</summary>
public class PublishedApiVersionsTests
{
    public static TheoryData<string> Types()
    {
        var data = new TheoryData<string>();
        foreach (var t in PublishedApiVersions.Types) data.Add(t);
        return data;
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void EachTypeIsOldestFirst_WithoutDuplicates_InApiVersionForm(string type)
    {
        var versions = PublishedApiVersions.For(type);
        Assert.NotEmpty(versions);
        Assert.Equal(versions.OrderBy(v => v, StringComparer.Ordinal), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.All(versions, v => Assert.Matches(@"^\d{4}-\d\d-\d\d(-preview)?$", v));
    }

    [Fact]
    public void ManagedClusters_IncludeTheNewestStableVersions()
    {
        var versions = PublishedApiVersions.For(PublishedApiVersions.ManagedClusters);
        Assert.Contains("2026-04-01", versions);
        Assert.Contains("2026-06-01", versions);
        Assert.Equal("2026-06-02-preview", versions[^1]);
    }

    [Fact]
    public void EveryVersionTheEngineSpeaks_IsPublished_PreferredFirst_ThenOlderNewestFirst()
    {
        foreach (var apiType in new[] { ArmApiType.ManagedClusters, ArmApiType.Identities, ArmApiType.FederatedCredentials,
                     ArmApiType.RoleAssignments, ArmApiType.RoleDefinitions, ArmApiType.ResourceGroups })
        {
            var published = PublishedApiVersions.For(apiType.Name);
            Assert.All(apiType.Known, v => Assert.Contains(v, published));
            Assert.Equal(apiType.Preferred, apiType.Known[0]);
            var fallbacks = apiType.Known.Skip(1).ToList();
            Assert.All(fallbacks, v => Assert.True(string.CompareOrdinal(v, apiType.Preferred) < 0, $"{apiType}: {v} is not older than {apiType.Preferred}"));
            Assert.Equal(fallbacks.Where(v => !PublishedApiVersions.IsPreview(v)).OrderByDescending(v => v, StringComparer.Ordinal),
                fallbacks.Where(v => !PublishedApiVersions.IsPreview(v)));
        }
    }

    [Fact]
    public void ClusterFallbacks_AreEveryPublishedStableVersionFromTheFirstWithWorkloadIdentity()
    {
        var fallbacks = ArmApiType.ManagedClusters.Known.Skip(1).ToList();
        Assert.Equal("2023-02-01", fallbacks[^1]);
        Assert.Contains("2025-09-01", fallbacks);
        Assert.DoesNotContain("2023-01-01", fallbacks);
        Assert.DoesNotContain(fallbacks, PublishedApiVersions.IsPreview);
    }

    [Fact]
    public void StableFallbacks_RefusesVersionsThatAreNotPublished()
    {
        Assert.Throws<InvalidOperationException>(() => PublishedApiVersions.StableFallbacks(PublishedApiVersions.ManagedClusters, "2023-02-01", "2099-01-01"));
    }
}
