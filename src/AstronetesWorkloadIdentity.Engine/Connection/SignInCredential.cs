using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// The connection's credential, able to sign in ahead of the first request: the token <see cref="SignInAsync"/> got is
    /// handed to the first request that asks for the same scope, so signing in at connect time costs no second token request
    /// (the Azure CLI credential, for one, keeps no cache and would run 'az' again). Every later call goes to the credential.
    /// </summary>
    internal sealed class SignInCredential : TokenCredential
    {
        private readonly TokenCredential _inner;
        private readonly object _gate = new object();
        private string[]? _scopes;
        private AccessToken? _token;

        public SignInCredential(TokenCredential inner) => _inner = inner;

        /// <summary>Gets a token for <paramref name="scope"/> now and keeps it for the first request that asks for it.</summary>
        public async Task SignInAsync(string scope, CancellationToken ct)
        {
            var scopes = new[] { scope };
            // CAE-capable, as Azure.Core's bearer policy asks: Azure.Identity keeps CAE and other tokens in separate caches.
            var token = await _inner.GetTokenAsync(new TokenRequestContext(scopes, null, null, null, isCaeEnabled: true), ct).ConfigureAwait(false);
            lock (_gate)
            {
                _scopes = scopes;
                _token = token;
            }
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => TakeSignedIn(requestContext) ?? _inner.GetToken(requestContext, cancellationToken);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var token = TakeSignedIn(requestContext);
            return token.HasValue ? new ValueTask<AccessToken>(token.Value) : _inner.GetTokenAsync(requestContext, cancellationToken);
        }

        /// <summary>The signed-in token, once, for the same scope with no claims challenge or other tenant, while it has time left.</summary>
        private AccessToken? TakeSignedIn(TokenRequestContext context)
        {
            lock (_gate)
            {
                if (!_token.HasValue || _scopes == null) return null;
                var token = _token.Value;
                _token = null;
                var same = context.Scopes != null && context.Scopes.SequenceEqual(_scopes, StringComparer.OrdinalIgnoreCase)
                           && string.IsNullOrEmpty(context.Claims) && string.IsNullOrEmpty(context.TenantId) && context.IsCaeEnabled;
                // Azure.Core renews five minutes before expiry; a token nearer its end than that is not worth handing out.
                return same && token.ExpiresOn - DateTimeOffset.UtcNow > TimeSpan.FromMinutes(5) ? token : (AccessToken?)null;
            }
        }
    }
}
