using Azure.Core;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Tests.Engine;

/// <summary>The token got at sign-in serves the first request for the same scope, once; everything else goes to the credential.</summary>
public sealed class SignInCredentialTests
{
    private const string Arm = "https://management.azure.com/.default";

    private sealed class CountingCredential(TimeSpan lifetime) : TokenCredential
    {
        public List<TokenRequestContext> Calls { get; } = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls.Add(requestContext);
            return new AccessToken("token-" + Calls.Count, DateTimeOffset.UtcNow + lifetime);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => new(GetToken(requestContext, cancellationToken));
    }

    private static TokenRequestContext AsThePolicyAsks(string scope) => new(new[] { scope }, "request-1", null, null, isCaeEnabled: true);

    [Fact]
    public async Task The_signed_in_token_serves_the_first_request_once_then_the_credential_answers()
    {
        var inner = new CountingCredential(TimeSpan.FromHours(1));
        var credential = new SignInCredential(inner);

        await credential.SignInAsync(Arm, default);
        var first = await credential.GetTokenAsync(AsThePolicyAsks(Arm), default);
        var second = await credential.GetTokenAsync(AsThePolicyAsks(Arm), default);

        Assert.Equal("token-1", first.Token);
        Assert.Equal("token-2", second.Token);
        Assert.Equal(2, inner.Calls.Count);
        Assert.True(inner.Calls[0].IsCaeEnabled, "sign-in asks for the same kind of token as Azure.Core's bearer policy");
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/.default", null)]
    [InlineData(Arm, "{\"access_token\":{\"nbf\":{\"essential\":true}}}")]
    public async Task Another_scope_or_a_claims_challenge_goes_to_the_credential(string scope, string? claims)
    {
        var inner = new CountingCredential(TimeSpan.FromHours(1));
        var credential = new SignInCredential(inner);
        await credential.SignInAsync(Arm, default);

        var token = await credential.GetTokenAsync(new TokenRequestContext(new[] { scope }, null, claims, null, isCaeEnabled: true), default);

        Assert.Equal("token-2", token.Token);
    }

    [Fact]
    public async Task A_signed_in_token_near_its_end_is_not_handed_out()
    {
        var inner = new CountingCredential(TimeSpan.FromMinutes(3));
        var credential = new SignInCredential(inner);
        await credential.SignInAsync(Arm, default);

        Assert.Equal("token-2", (await credential.GetTokenAsync(AsThePolicyAsks(Arm), default)).Token);
    }
}
