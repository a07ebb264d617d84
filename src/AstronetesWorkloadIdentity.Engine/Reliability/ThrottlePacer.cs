using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Paces requests that Azure has started throttling, for the whole connection: once a request of one kind (the HTTP
    /// method's quota - reads, writes, deletes - and the resource type) is answered 429 with a Retry-After, every request of
    /// that kind takes its turn at the spacing the server asked for, instead of each concurrent request meeting its own
    /// 429 (and spending its own bounded retries) whatever -ThrottleLimit the user picked. The spacing shrinks again with
    /// each success, so a burst that was only briefly over the limit returns to full speed. Runs once per attempt.
    /// </summary>
    internal sealed class ThrottlePacer : HttpPipelinePolicy
    {
        // Each success lets the next request of its kind come a little sooner, down to no spacing at all.
        private const double RelaxFactor = 0.9;
        private static readonly TimeSpan MaxSpacing = TimeSpan.FromSeconds(30);

        private readonly Dictionary<string, Lane> _lanes = new Dictionary<string, Lane>(StringComparer.OrdinalIgnoreCase);
        private readonly Func<DateTimeOffset> _now;

        public ThrottlePacer(Func<DateTimeOffset>? now = null) => _now = now ?? (() => DateTimeOffset.UtcNow);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var wait = TakeTurn(message);
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            ProcessNext(message, pipeline);
            Observe(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var wait = TakeTurn(message);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, message.CancellationToken).ConfigureAwait(false);
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            Observe(message);
        }

        /// <summary>How long this attempt waits for its turn (zero while its kinds are not being throttled).</summary>
        internal TimeSpan TakeTurn(HttpMessage message)
        {
            var (quota, type) = KindOf(message.Request.Method, message.Request.Uri.Path);
            lock (_lanes)
            {
                // ARM's bucket (all writes of the subscription) and the resource type's own limit: the later turn of both.
                var lanes = new List<Lane>(2);
                if (_lanes.TryGetValue(quota, out var q) && q.Spacing > TimeSpan.Zero) lanes.Add(q);
                if (_lanes.TryGetValue(type, out var t) && t.Spacing > TimeSpan.Zero) lanes.Add(t);
                if (lanes.Count == 0) return TimeSpan.Zero;
                var now = _now();
                var turn = now;
                foreach (var lane in lanes) if (lane.Next > turn) turn = lane.Next;
                foreach (var lane in lanes) lane.Next = turn + lane.Spacing;
                return turn - now;
            }
        }

        internal void Observe(HttpMessage message)
        {
            if (!message.HasResponse) return;
            var (quota, type) = KindOf(message.Request.Method, message.Request.Uri.Path);
            var status = message.Response.Status;
            lock (_lanes)
            {
                if (status == 429)
                {
                    // ARM's own buckets say so in the code (SubscriptionRequestsThrottled, TenantRequestsThrottled); anything
                    // else is the resource provider's limit on this type.
                    var code = ArmErrorBody.TryReadCode(message.Response) ?? "";
                    var key = code.EndsWith("RequestsThrottled", StringComparison.OrdinalIgnoreCase) ? quota : type;
                    var asked = RetryBackoff.ServerDelay(message.Response) ?? TimeSpan.FromSeconds(1);
                    if (asked > MaxSpacing) asked = MaxSpacing;
                    if (!_lanes.TryGetValue(key, out var lane)) _lanes[key] = lane = new Lane();
                    if (asked > lane.Spacing) lane.Spacing = asked;
                    var until = _now() + asked;
                    if (until > lane.Next) lane.Next = until;
                }
                else if (status < 400)
                {
                    Relax(quota);
                    Relax(type);
                }
            }
        }

        private void Relax(string key)
        {
            if (!_lanes.TryGetValue(key, out var lane)) return;
            lane.Spacing = TimeSpan.FromTicks((long)(lane.Spacing.Ticks * RelaxFactor));
            if (lane.Spacing < TimeSpan.FromMilliseconds(1)) _lanes.Remove(key);
        }

        /// <summary>ARM counts reads, writes and deletes apart; a resource provider's own limits are per resource type.</summary>
        internal static (string Quota, string Type) KindOf(RequestMethod method, string path)
        {
            var quota = method == RequestMethod.Get || method == RequestMethod.Head ? "reads" : method == RequestMethod.Delete ? "deletes" : "writes";
            var segments = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            // The resource type is the segment before the name: .../{type}/{name}; for a collection, the last segment.
            var type = segments.Length == 0 ? "" : segments.Length % 2 == 0 ? segments[segments.Length - 2] : segments[segments.Length - 1];
            return (quota, quota + " " + type);
        }

        private sealed class Lane
        {
            public TimeSpan Spacing;
            public DateTimeOffset Next;
        }
    }
}
