namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>One entry of GET /subscriptions: enough to choose a subscription and to name it to a person.</summary>
    public sealed class SubscriptionSummary
    {
        internal SubscriptionSummary(string subscriptionId, string displayName, string state)
        {
            SubscriptionId = subscriptionId;
            DisplayName = displayName;
            State = state;
        }

        public string SubscriptionId { get; }
        public string DisplayName { get; }
        /// <summary>Enabled, Warned, PastDue, Disabled or Deleted, as ARM reports it; empty when absent.</summary>
        public string State { get; }

        /// <summary>"&lt;id&gt; (&lt;name&gt;)", the form errors list them in.</summary>
        public override string ToString() => DisplayName.Length == 0 ? SubscriptionId : SubscriptionId + " (" + DisplayName + ")";
    }
}
