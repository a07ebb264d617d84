using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Tests.Engine;

public class InputValidatorTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("aks-ready")]
    [InlineData("A_1-b")]
    public void ValidClusterNames(string name) => InputValidator.ClusterName(name);

    [Theory]
    [InlineData("")]
    [InlineData("-aks")]
    [InlineData("aks-")]
    [InlineData("aks.prod")]
    [InlineData("aks\n")]
    public void InvalidClusterNames(string name) => AssertRejected(() => InputValidator.ClusterName(name), "ClusterName", "1-63 characters");

    [Fact]
    public void ClusterNameOf64CharactersIsRejected() => AssertRejected(() => InputValidator.ClusterName(new string('a', 64)), "ClusterName", "1-63");

    [Fact]
    public void IdentityNameMessageNamesParameterValueAndRule()
    {
        var ex = Assert.Throws<InputValidationException>(() => InputValidator.IdentityName("a"));
        Assert.Equal("IdentityName 'a' is not valid: 3-128 characters, letters, digits, '-' and '_', starting with a letter or digit.", ex.Message);
        Assert.Equal("IdentityName", ex.ParamName);
        Assert.StartsWith("IdentityName: 3-128", ex.Rule);
    }

    [Theory]
    [InlineData("rg-astronetes")]
    [InlineData("rg.(prod)_1")]
    public void ValidResourceGroups(string name) => InputValidator.ResourceGroupName(name);

    [Theory]
    [InlineData("rg.")]
    [InlineData("rg/x")]
    [InlineData("")]
    public void InvalidResourceGroups(string name) => AssertRejected(() => InputValidator.ResourceGroupName(name), "ResourceGroupName", "not ending in '.'");

    [Theory]
    [InlineData("ab")]
    [InlineData("_agent")]
    [InlineData("agent.1")]
    public void InvalidIdentityNames(string name) => AssertRejected(() => InputValidator.IdentityName(name), "IdentityName", "3-128");

    [Theory]
    [InlineData("ab")]
    [InlineData("-abc")]
    [InlineData("abc.def")]
    public void InvalidFederatedCredentialNames(string name) => AssertRejected(() => InputValidator.FederatedCredentialName(name), "FederatedCredentialName", "3-120");

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("9a7d3c1e4b2f4e8ab6c51f0e2d3c4b5a0")]
    public void InvalidSubscriptionIds(string value) => AssertRejected(() => InputValidator.SubscriptionId(value), "SubscriptionId", "GUID");

    // Location checks the form only: a region ARM reports (new, canary) is real even when AzureRegions lags.
    [Theory]
    [InlineData("westeurope")]
    [InlineData("denmarkeast")]
    [InlineData("eastus2euap")]
    [InlineData("newregion9")]
    [InlineData("West Europe")]
    [InlineData("East US 2 EUAP")]
    public void WellFormedLocationsAreAccepted(string value) => InputValidator.Location(value);

    [Theory]
    [InlineData("")]
    [InlineData("west-europe")]
    [InlineData("westeurope/")]
    [InlineData(" westeurope")]
    [InlineData("West  Europe")]
    [InlineData("westeurope\n")]
    [InlineData("wésteurope")]
    public void MalformedLocations(string value) => AssertRejected(() => InputValidator.Location(value), "Location", "letters and digits");

    [Fact]
    public void LocationLongerThan64IsRejected() => AssertRejected(() => InputValidator.Location(new string('a', 65)), "Location", "1-64");

    // KnownLocation is the list check a cmdlet applies to a user-typed -Location.
    [Theory]
    [InlineData("westeurope")]
    [InlineData("WestEurope")]
    [InlineData("West Europe")]
    [InlineData("denmarkeast")]
    [InlineData("eastus2euap")]
    [InlineData("centraluseuap")]
    public void KnownLocations(string value)
    {
        InputValidator.KnownLocation(value);
        Assert.True(InputValidator.IsKnownLocation(value));
    }

    [Fact]
    public void UnknownLocationMessageSaysHowToProceedWithANewRegion()
    {
        Assert.False(InputValidator.IsKnownLocation("mars"));
        var ex = Assert.Throws<InputValidationException>(() => InputValidator.KnownLocation("mars"));
        Assert.Equal("Location", ex.ParamName);
        Assert.StartsWith("Location 'mars' is not valid: a region in this module's list", ex.Message);
        Assert.Contains("az account list-locations", ex.Message);
        Assert.Contains("omit -Location", ex.Message);
        AssertRejected(() => InputValidator.KnownLocation("west-europe"), "Location", "letters and digits");
    }

    [Theory]
    [InlineData("West Europe", "westeurope")]
    [InlineData("East US 2 EUAP", "eastus2euap")]
    [InlineData("denmarkeast", "denmarkeast")]
    public void NormalizeLocationGivesTheArmName(string value, string expected) => Assert.Equal(expected, InputValidator.NormalizeLocation(value));

    [Fact]
    public void RegionListHasNoDuplicatesAndOnlyArmNames()
    {
        Assert.Equal(AzureRegions.Names.Count, AzureRegions.Names.Distinct().Count());
        Assert.All(AzureRegions.Names, n => Assert.Equal(InputValidator.NormalizeLocation(n), n));
        Assert.All(AzureRegions.Names, n => InputValidator.Location(n));
    }

    [Theory]
    [InlineData("http://issuer.example/")]
    [InlineData("issuer.example")]
    [InlineData("https://*.example/")]
    public void InvalidIssuers(string value) => AssertRejected(() => InputValidator.IssuerUrl(value), "IssuerUrl", "https");

    [Fact]
    public void IssuerLongerThan600IsRejected() => AssertRejected(() => InputValidator.IssuerUrl("https://x.example/" + new string('a', 600)), "IssuerUrl", "600");

    [Theory]
    [InlineData("Resiliency-System")]
    [InlineData("-ns")]
    [InlineData("ns.dotted")]
    public void InvalidNamespaces(string value) => AssertRejected(() => InputValidator.KubernetesNamespace(value), "Namespace", "DNS-1123 label");

    [Theory]
    [InlineData("Agent")]
    [InlineData("agent_1")]
    [InlineData("agent.")]
    public void InvalidServiceAccounts(string value) => AssertRejected(() => InputValidator.ServiceAccountName(value), "ServiceAccountName", "DNS-1123 subdomain");

    [Fact]
    public void SubjectIsBuiltFromValidParts()
    {
        Assert.Equal("system:serviceaccount:resiliency-system:agent.v1", InputValidator.Subject("resiliency-system", "agent.v1"));
        AssertRejected(() => InputValidator.Subject("Bad", "agent"), "Namespace", "DNS-1123");
    }

    [Theory]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg")]
    [InlineData("/providers/Microsoft.Management/managementGroups/mg-1")]
    public void ValidScopes(string scope) => InputValidator.Scope(scope);

    [Theory]
    [InlineData("subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a")]
    [InlineData("/subscriptions/not-a-guid")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/")]
    [InlineData("/resourceGroups/rg")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg?x=1")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg#x")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg%2Fother")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a%2FresourceGroups/rg")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg/..")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/../resourceGroups/rg")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/./x")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg.")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a//resourceGroups/rg")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/r g")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg/providers/Microsoft.KeyVault/vaults")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/secrets")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg/foo/bar")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg/providers/not a namespace/vaults/kv")]
    [InlineData("/providers/Microsoft.Management/managementGroups/mg?x=1")]
    [InlineData("/providers/Microsoft.Management/managementGroups/mg/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a")]
    public void InvalidScopes(string scope) => AssertRejected(() => InputValidator.Scope(scope), "Scope", "/subscriptions/");

    [Theory]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg(1)/providers/Microsoft.KeyVault/vaults/kv-1")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default")]
    [InlineData("/subscriptions/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/providers/Microsoft.Insights/actionGroups/ag")]
    [InlineData("/SUBSCRIPTIONS/9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a/resourcegroups/rg")]
    public void ResourceScopesFollowTheArmGrammar(string scope) => InputValidator.Scope(scope);

    [Fact]
    public void TagRules()
    {
        InputValidator.Tags(new Dictionary<string, string> { ["owner"] = "team" });
        InputValidator.Tags(null);
        AssertRejected(() => InputValidator.Tags(new Dictionary<string, string> { ["a/b"] = "x" }), "Tag", "at most 50 tags");
        AssertRejected(() => InputValidator.Tags(new Dictionary<string, string> { ["a"] = new string('v', 257) }), "Tag", "256");
        AssertRejected(() => InputValidator.Tags(Enumerable.Range(0, 51).ToDictionary(i => "t" + i, i => "v")), "Tag", "50");
    }

    [Fact]
    public void CustomParameterNameIsUsed() => AssertRejected(() => InputValidator.IdentityName("x", "Name"), "Name", "3-128");

    private static void AssertRejected(Action action, string parameterName, string ruleFragment)
    {
        var ex = Assert.Throws<InputValidationException>(action);
        Assert.Equal(parameterName, ex.ParamName);
        Assert.StartsWith(parameterName + " ", ex.Message);
        Assert.Contains(ruleFragment, ex.Message);
    }
}
