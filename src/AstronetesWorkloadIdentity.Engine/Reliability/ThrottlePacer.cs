using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Paces requests to the rate Azure allows, for the whole connection, so that many agents at once (whatever
    /// -ThrottleLimit the user picked) run at the limit instead of each meeting its own 429 and spending its own retries.
    /// Each kind of request in each subscription (the HTTP method's ARM quota - reads, writes, deletes - and the resource
    /// type, which carries a provider's own limits) has a lane; a lane with a spacing hands out turns that far apart. A lane is set up:
    /// <list type="bullet">
    /// <item>ahead of any 429, when ARM's remaining-quota headers say its bucket is nearly empty: spaced at the bucket's
    /// published refill rate (<see cref="PublishedLimits"/>) until the headers show it refilled;</item>
    /// <item>by a 429 (a provider's limit sends no quota header, the managed-identity write limit among them): spaced at the
    /// wait the server asked for, which with the bucket just emptied is the time one token takes to refill.</item>
    /// </list>
    /// A learned spacing grows a little with each further 429 that shows it short (not with one that only came a little
    /// early) and shrinks only after a run of successes without a 429, so it stays near the limit's interval; a lane left idle long enough for its bucket to refill
    /// is dropped. Runs once per attempt, so a retried request takes its turn too.
    /// </summary>
    internal sealed class ThrottlePacer : HttpPipelinePolicy
    {
        // A 429 while paced that asks for at least half a spacing means the spacing is short: grow it by this much (or to the
        // server's ask, if larger).
        internal const double GrowFactor = 1.05;

        // A 429 that only came early nudges the spacing up this much, to at most JitterCeiling times the interval last learned.
        internal const double JitterGrowFactor = 1.02;
        internal const double JitterCeiling = 1.1;

        // After this many successes in a row, each further one lets the spacing shrink a little, so a spacing learned from a
        // coarse Retry-After (whole seconds) comes down to the real rate, at the price of an occasional 429.
        internal const int SuccessesBeforeRelaxing = 50;
        internal const double RelaxFactor = 0.99;

        // Pace ahead when ARM says this few requests are left in the bucket: room for the requests already in flight.
        internal const int LowWaterMark = 16;

        // An idle lane whose bucket has had this many spacings to refill no longer needs pacing.
        private const int IdleSpacings = 40;

        private static readonly TimeSpan MaxSpacing = TimeSpan.FromSeconds(30);

        private readonly Dictionary<string, Lane> _lanes = new Dictionary<string, Lane>(StringComparer.OrdinalIgnoreCase);
        private readonly Func<DateTimeOffset> _now;

        public ThrottlePacer(Func<DateTimeOffset>? now = null) => _now = now ?? (() => DateTimeOffset.UtcNow);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var wait = TakeTurn(message.Request.Method, message.Request.Uri.Path);
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            var sent = _now();
            ProcessNext(message, pipeline);
            Observe(message, sent);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var wait = TakeTurn(message.Request.Method, message.Request.Uri.Path);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, message.CancellationToken).ConfigureAwait(false);
            var sent = _now();
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            Observe(message, sent);
        }

        /// <summary>How long a request of this kind waits for its turn (zero while its kinds are not paced).</summary>
        internal TimeSpan TakeTurn(RequestMethod method, string path)
        {
            var (_, quota, type) = KindOf(method, path);
            lock (_lanes)
            {
                var now = _now();
                // ARM's bucket (all writes of the subscription) and the resource type's own limit: the later turn of both.
                var lanes = new List<Lane>(2);
                foreach (var key in new[] { quota, type })
                {
                    if (!_lanes.TryGetValue(key, out var lane)) continue;
                    if (now - lane.Next > TimeSpan.FromTicks(lane.Spacing.Ticks * IdleSpacings)) _lanes.Remove(key);
                    else lanes.Add(lane);
                }
                if (lanes.Count == 0) return TimeSpan.Zero;
                var turn = now;
                foreach (var lane in lanes) if (lane.Next > turn) turn = lane.Next;
                foreach (var lane in lanes) lane.Next = turn + lane.Spacing;
                return turn - now;
            }
        }

        private void Observe(HttpMessage message, DateTimeOffset sent)
        {
            if (message.HasResponse)
            {
                Observe(message.Request.Method, message.Request.Uri.Path, sent, message.Response.Status,
                    RetryBackoff.ServerDelay(message.Response), message.Response.Status == 429 ? ArmErrorBody.TryReadCode(message.Response) : null,
                    RemainingQuota(message.Response, message.Request.Method));
            }
        }

        /// <summary>
        /// Learns from one answer to a request sent at <paramref name="sent"/>: its status, the wait a 429 asked for, its
        /// error code and ARM's remaining quota.
        /// </summary>
        internal void Observe(RequestMethod method, string path, DateTimeOffset sent, int status, TimeSpan? asked, string? errorCode, int? remaining)
        {
            var (kind, quota, type) = KindOf(method, path);
            lock (_lanes)
            {
                var now = _now();
                if (status == 429)
                {
                    // ARM's own buckets say so in the code (SubscriptionRequestsThrottled, TenantRequestsThrottled); anything
                    // else is the resource provider's limit on this type.
                    var key = IsArmBucketCode(errorCode) ? quota : type;
                    Throttled(key, asked ?? TimeSpan.FromSeconds(1), sent, now);
                    return;
                }
                if (remaining.HasValue) PaceByQuota(kind, quota, remaining.Value, now);
                if (status < 400)
                {
                    Succeeded(quota);
                    Succeeded(type);
                }
            }
        }

        // ResourceRequestsThrottled, a provider's own limit, ends the same way but is not ARM's bucket.
        private static bool IsArmBucketCode(string? code) =>
            string.Equals(code, "SubscriptionRequestsThrottled", StringComparison.OrdinalIgnoreCase)
            || string.Equals(code, "TenantRequestsThrottled", StringComparison.OrdinalIgnoreCase);

        private void Throttled(string key, TimeSpan asked, DateTimeOffset sent, DateTimeOffset now)
        {
            if (asked > MaxSpacing) asked = MaxSpacing;
            if (!_lanes.TryGetValue(key, out var lane)) _lanes[key] = lane = new Lane { Next = now };
            var until = now + asked;
            if (until > lane.Next) lane.Next = until;
            // The rest of a burst that was sent before the lane last learned says nothing new about the spacing.
            if (sent < lane.Learned) return;
            lane.Learned = now;
            lane.FromHeaders = false;
            lane.Successes = 0;
            // Paced and asked to wait less than half a spacing: the turn came a little early (timers and thread scheduling
            // under many concurrent requests), not too often. The pause above covers it; growing the spacing for each such
            // 429 ratcheted it to twice the limit's interval at -ThrottleLimit 64. A throttled request uses no token, so a
            // spacing a little short costs an occasional 429, while one too long costs throughput.
            if (lane.Spacing > TimeSpan.Zero && asked.Ticks * 2 < lane.Spacing.Ticks)
            {
                // Some room for that jitter, within a tenth over the interval last learned.
                var nudged = TimeSpan.FromTicks(Math.Min((long)(lane.Spacing.Ticks * JitterGrowFactor), (long)(lane.Learnt.Ticks * JitterCeiling)));
                if (nudged > lane.Spacing) lane.Spacing = nudged;
                return;
            }
            var grown = TimeSpan.FromTicks((long)(lane.Spacing.Ticks * GrowFactor));
            // A long ask (a window limit: wait for the oldest event to leave it) pauses the lane, but as a spacing it would
            // slow every later request that much: the spacing grows at most twofold per 429.
            var capped = lane.Spacing > TimeSpan.Zero && asked.Ticks > 2 * lane.Spacing.Ticks ? TimeSpan.FromTicks(2 * lane.Spacing.Ticks) : asked;
            lane.Spacing = grown > capped ? grown : capped;
            if (lane.Spacing > MaxSpacing) lane.Spacing = MaxSpacing;
            lane.Learnt = lane.Spacing;
        }

        private void PaceByQuota(string kind, string quota, int remaining, DateTimeOffset now)
        {
            _lanes.TryGetValue(quota, out var lane);
            if (remaining > LowWaterMark)
            {
                // Refilled: a lane the headers set up ends; one a 429 taught stays until it idles out.
                if (lane != null && lane.FromHeaders) _lanes.Remove(quota);
                return;
            }
            var refill = TimeSpan.FromSeconds(1 / PublishedLimits.ArmBucket(kind).RefillPerSecond);
            if (lane == null) _lanes[quota] = lane = new Lane { Next = now, FromHeaders = true };
            if (lane.Spacing < refill) lane.Spacing = refill;
        }

        private void Succeeded(string key)
        {
            if (!_lanes.TryGetValue(key, out var lane) || lane.FromHeaders) return;
            if (++lane.Successes <= SuccessesBeforeRelaxing) return;
            lane.Spacing = TimeSpan.FromTicks((long)(lane.Spacing.Ticks * RelaxFactor));
            if (lane.Spacing < TimeSpan.FromMilliseconds(1)) _lanes.Remove(key);
        }

        /// <summary>The spacing a kind of request is paced at now (zero when it is not), for tests and diagnostics.</summary>
        internal TimeSpan SpacingOf(RequestMethod method, string path, bool ofQuota)
        {
            var (_, quota, type) = KindOf(method, path);
            lock (_lanes) return _lanes.TryGetValue(ofQuota ? quota : type, out var lane) ? lane.Spacing : TimeSpan.Zero;
        }

        /// <summary>The lowest of ARM's remaining-quota headers for the request's kind (subscription or tenant, regional or global).</summary>
        internal static int? RemainingQuota(Azure.Response response, RequestMethod method)
        {
            var quota = KindOf(method, "").Quota;
            int? lowest = null;
            foreach (var header in new[] { "x-ms-ratelimit-remaining-subscription-", "x-ms-ratelimit-remaining-tenant-" })
            {
                if (response.Headers.TryGetValue(header + quota, out var text)
                    && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                    && (!lowest.HasValue || value < lowest.Value))
                {
                    lowest = value;
                }
            }
            return lowest;
        }

        /// <summary>ARM counts reads, writes and deletes apart; a resource provider's own limits are per resource type.</summary>
        internal static (string Quota, string QuotaLane, string TypeLane) KindOf(RequestMethod method, string path)
        {
            var quota = method == RequestMethod.Get || method == RequestMethod.Head ? "reads" : method == RequestMethod.Delete ? "deletes" : "writes";
            var segments = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            // ARM's buckets, and limits such as identity writes per subscription, count per subscription (and principal: a
            // connection is one); a request that names no subscription counts against the tenant's.
            var scope = segments.Length >= 2 && string.Equals(segments[0], "subscriptions", StringComparison.OrdinalIgnoreCase) ? segments[1] : "tenant";
            // The resource type is the segment before the name: .../{type}/{name}; for a collection, the last segment.
            var type = segments.Length == 0 ? "" : segments.Length % 2 == 0 ? segments[segments.Length - 2] : segments[segments.Length - 1];
            return (quota, quota + "@" + scope, quota + " " + type + "@" + scope);
        }

        private sealed class Lane
        {
            public TimeSpan Spacing;
            public DateTimeOffset Next;
            public int Successes;
            public bool FromHeaders;
            public DateTimeOffset Learned;
            // The spacing the last 429 that showed it short set; jitter moves the spacing only a little above it.
            public TimeSpan Learnt;
        }
    }
}
