using System;
using System.Globalization;
using System.Threading;
using Azure;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Exponential backoff with jitter: attempt n waits base * 2^(n-1), capped, then a random 50-100% of that ("equal
    /// jitter"), so many clients throttled together do not come back together. A server's Retry-After, when it gives one,
    /// is the wait: it says when a token will be there, and the connection's <see cref="ThrottlePacer"/> already spreads
    /// the requests that come back (as a floor under our backoff, every 429 of a burst cost 0.4-0.8 s instead of the 50 ms asked).
    /// </summary>
    internal static class RetryBackoff
    {
        private static readonly ThreadLocal<Random> Random = new ThreadLocal<Random>(() => new Random(Guid.NewGuid().GetHashCode()));

        public static TimeSpan Next(int retryNumber, TimeSpan initial, TimeSpan max, TimeSpan? serverDelay)
        {
            var exponent = Math.Min(Math.Max(retryNumber - 1, 0), 30);
            var ceiling = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
            var jittered = TimeSpan.FromMilliseconds(ceiling * (0.5 + 0.5 * Random.Value!.NextDouble()));
            return serverDelay.HasValue && serverDelay.Value > TimeSpan.Zero ? serverDelay.Value : jittered;
        }

        /// <summary>retry-after-ms / x-ms-retry-after-ms (milliseconds), else Retry-After (seconds or an HTTP date), as Azure.Core reads them.</summary>
        public static TimeSpan? ServerDelay(Response? response)
        {
            if (response == null) return null;
            foreach (var header in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
            {
                if (response.Headers.TryGetValue(header, out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m >= 0)
                    return TimeSpan.FromMilliseconds(m);
            }
            if (response.Headers.TryGetValue("Retry-After", out var value))
            {
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0) return TimeSpan.FromSeconds(seconds);
                if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    var wait = at - DateTimeOffset.UtcNow;
                    return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
                }
            }
            return null;
        }
    }
}
