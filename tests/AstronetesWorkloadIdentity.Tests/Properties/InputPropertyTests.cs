using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;
using CsCheck;

namespace AstronetesWorkloadIdentity.Tests.Properties;

/// <summary>
/// Property-based (CsCheck) checks of every name, GUID, issuer, subject and location the module sends to ARM: for strings
/// built to sit near each rule's edges, the validator accepts exactly what an independent reading of Azure's rule accepts
/// (no false rejection, no invalid value through), throws nothing but InputValidationException, and an invalid value never
/// becomes a request.
/// </summary>
public sealed class InputPropertyTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string Alnum = "abcxyzABCXYZ0189";
    // Characters a URL, a path or a shell would read differently, a non-ASCII letter, and whitespace.
    private const string Hostile = "/?#%&:;. '\"\\*@+=é\t\n\u00a0";

    private static readonly Gen<char> NameChar = Gen.Frequency((8, Gen.Char[Alnum]), (2, Gen.Char["-_"]), (1, Gen.Char[Hostile]));
    private static Gen<string> NearName(int max) => Gen.String[NameChar, 0, max];

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static bool IsAsciiAlnum(char c) => c < 128 && char.IsLetterOrDigit(c);

    // Independent readings of the published rules (ARM-CONTRACT.md), written as plain predicates rather than the validator's regexes.
    private static bool IdentityRule(string s) => s.Length is >= 3 and <= 128 && IsAsciiAlnum(s[0]) && s.All(c => IsAsciiAlnum(c) || c is '-' or '_');
    private static bool ClusterRule(string s) => s.Length is >= 1 and <= 63 && IsAsciiAlnum(s[0]) && IsAsciiAlnum(s[^1]) && s.All(c => IsAsciiAlnum(c) || c is '-' or '_');
    private static bool CredentialRule(string s) => s.Length is >= 3 and <= 120 && IsAsciiAlnum(s[0]) && s.All(c => IsAsciiAlnum(c) || c is '-' or '_');
    private static bool Dns1123Label(string s) => s.Length <= 63 && Dns1123Part(s);
    private static bool Dns1123Part(string s) => s.Length >= 1 && s.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') && s[0] != '-' && s[^1] != '-';
    // Kubernetes' IsDNS1123Subdomain: at most 253 characters of dot-separated parts; unlike a DNS label, a part has no 63 limit.
    private static bool Dns1123Subdomain(string s) => s.Length <= 253 && s.Split('.').All(Dns1123Part);

    /// <summary>Accepts or throws InputValidationException naming the parameter; anything else fails the property.</summary>
    private static bool Accepts(Action validate)
    {
        try
        {
            validate();
            return true;
        }
        catch (InputValidationException)
        {
            return false;
        }
    }

    [Fact]
    public void IdentityNames() => NearName(140).Sample(s => Accepts(() => InputValidator.IdentityName(s)) == IdentityRule(s), iter: 20000);

    [Fact]
    public void ClusterNames() => NearName(70).Sample(s => Accepts(() => InputValidator.ClusterName(s)) == ClusterRule(s), iter: 20000);

    [Fact]
    public void CredentialNames() => NearName(130).Sample(s => Accepts(() => InputValidator.FederatedCredentialName(s)) == CredentialRule(s), iter: 20000);

    [Fact]
    public void GeneratedValidNames_AreAllAccepted()
    {
        var first = Gen.Char[Alnum];
        var rest = Gen.Char[Alnum + "-_"];
        Gen.Select(first, Gen.String[rest, 2, 127], (f, r) => f + r).Sample(s => Accepts(() => InputValidator.IdentityName(s)), iter: 5000);
        Gen.Select(first, Gen.String[rest, 2, 119], (f, r) => f + r).Sample(s => Accepts(() => InputValidator.FederatedCredentialName(s)), iter: 5000);
        Gen.Select(first, Gen.String[rest, 0, 61], first, (f, r, l) => f + r + l).Sample(s => Accepts(() => InputValidator.ClusterName(s)), iter: 5000);
    }

    [Fact]
    public void Guids_InEveryFormatArmWrites_AreAccepted_AndNearMissesAreNot()
    {
        Gen.Guid.Sample(g => Accepts(() => InputValidator.SubscriptionId(g.ToString())) && Accepts(() => InputValidator.TenantId(g.ToString().ToUpperInvariant())), iter: 5000);
        // One character changed into a non-hex one, or one dropped: never a GUID.
        Gen.Select(Gen.Guid, Gen.Int[0, 35], Gen.Char["gxz-{} /"], (g, i, c) => g.ToString().Remove(i, 1).Insert(i, c.ToString()))
            .Where(s => !System.Guid.TryParseExact(s, "D", out _))
            .Sample(s => !Accepts(() => InputValidator.SubscriptionId(s)), iter: 5000);
        Gen.Select(Gen.Guid, Gen.Int[0, 35], (g, i) => g.ToString().Remove(i, 1)).Sample(s => !Accepts(() => InputValidator.SubscriptionId(s)), iter: 2000);
    }

    [Fact]
    public void Subjects_FromValidNamespacesAndServiceAccounts_AreAccepted_AndAnythingElseIsNot()
    {
        var label = Gen.String[Gen.Char["abz09-"], 1, 70];
        Gen.Select(label, label, (ns, sa) => (ns, sa)).Sample(p =>
        {
            var valid = Dns1123Label(p.ns) && Dns1123Subdomain(p.sa);
            return Accepts(() => InputValidator.Subject(p.ns, p.sa)) == valid;
        }, iter: 20000);
        Gen.String[Gen.Frequency((6, Gen.Char["abz09-"]), (1, Gen.Char[":.A /"])), 0, 60]
            .Sample(s => Accepts(() => InputValidator.Subject("resiliency-system", s)) == Dns1123Subdomain(s), iter: 20000);
    }

    [Fact]
    public void Issuers_MustBeAbsoluteHttpsWithoutWhitespaceOrWildcards()
    {
        var host = Gen.String[Gen.Char["abcz0-."], 1, 20];
        var path = Gen.String[Gen.Frequency((8, Gen.Char["abc019/-"]), (1, Gen.Char[" *\t"])), 0, 40];
        var scheme = Pick("https://", "http://", "HTTPS://", "", "ftp://");
        Gen.Select(scheme, host, path, (s, h, p) => s + h + p).Sample(issuer =>
        {
            var accepted = Accepts(() => InputValidator.IssuerUrl(issuer));
            var wellFormed = Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.Scheme == "https"
                             && !issuer.Any(char.IsWhiteSpace) && !issuer.Contains('*') && issuer.Length <= 600;
            return accepted == wellFormed;
        }, iter: 20000);
        // The issuer AKS reports, trailing slash included, always passes.
        Gen.Select(Pick(AzureRegions.Names.ToArray()), Gen.Guid, Gen.Guid, (r, t, u) => $"https://{r}.oic.prod-aks.azure.com/{t}/{u}/")
            .Sample(s => Accepts(() => InputValidator.IssuerUrl(s)), iter: 2000);
    }

    [Fact]
    public void Locations_EveryKnownRegionInBothSpellings_IsAccepted_AndNoHostileCharacterPasses()
    {
        Pick(AzureRegions.Names.ToArray()).Sample(r => Accepts(() => InputValidator.KnownLocation(r)) && Accepts(() => InputValidator.KnownLocation(r.ToUpperInvariant())));
        Gen.String[Gen.Frequency((8, Gen.Char["westeurop2 "]), (1, Gen.Char[Hostile])), 0, 70].Sample(s =>
        {
            var accepted = Accepts(() => InputValidator.Location(s));
            var form = s.Length is >= 1 and <= 64 && s.All(c => IsAsciiAlnum(c) || c == ' ') && !s.StartsWith(' ') && !s.EndsWith(' ') && !s.Contains("  ");
            return accepted == form;
        }, iter: 20000);
    }

    [Fact]
    public async Task AnInvalidValue_NeverBecomesARequest_AndAValidOneAlwaysDoes()
    {
        emulator.Reset();
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();
        var sent = 0;
        await NearName(140).SampleAsync(async name =>
        {
            var before = emulator.ArmRequests().Count;
            var valid = IdentityRule(name);
            try
            {
                await client.GetIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, name, default);
                Assert.True(valid, "sent a request for the invalid name '" + name + "'");
            }
            catch (InputValidationException)
            {
                Assert.False(valid, "rejected the valid name '" + name + "'");
            }
            var after = emulator.ArmRequests().Count;
            Assert.Equal(valid ? before + 1 : before, after);
            if (valid) sent++;
        }, iter: 300, threads: 1);
        Assert.True(sent > 0, "no valid name was generated");
    }
}
