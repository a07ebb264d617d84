using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Azure.Core's bearer policy (which already answers CAE claims challenges), plus one renewal when ARM says the token
    /// expired: a token that the client still took for valid can expire on its way (clock skew, a run that outlasts it),
    /// and ARM answers 401 ExpiredAuthenticationToken. The request is sent once more with a new token; a second 401 is returned.
    /// </summary>
    internal sealed class RenewingBearerTokenPolicy : BearerTokenAuthenticationPolicy
    {
        private readonly string[] _scopes;

        public RenewingBearerTokenPolicy(TokenCredential credential, string scope) : base(credential, scope)
        {
            _scopes = new[] { scope };
        }

        protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
        {
            if (await base.AuthorizeRequestOnChallengeAsync(message).ConfigureAwait(false)) return true;
            if (!IsExpiredToken(message)) return false;
            await AuthenticateAndAuthorizeRequestAsync(message, new TokenRequestContext(_scopes, message.Request.ClientRequestId)).ConfigureAwait(false);
            return true;
        }

        protected override bool AuthorizeRequestOnChallenge(HttpMessage message)
        {
            if (base.AuthorizeRequestOnChallenge(message)) return true;
            if (!IsExpiredToken(message)) return false;
            AuthenticateAndAuthorizeRequest(message, new TokenRequestContext(_scopes, message.Request.ClientRequestId));
            return true;
        }

        private static bool IsExpiredToken(HttpMessage message)
            => message.HasResponse && message.Response.Status == 401 && ArmErrorBody.TryReadCode(message.Response) == "ExpiredAuthenticationToken";
    }
}
