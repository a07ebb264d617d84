namespace AstronetesWorkloadIdentity.Engine
{
    public sealed class ResolvedSubscription
    {
        internal ResolvedSubscription(string subscriptionId, string source)
        {
            SubscriptionId = subscriptionId;
            Source = source;
        }

        public string SubscriptionId { get; }
        /// <summary>"connection", "AZURE_SUBSCRIPTION_ID" or "Azure CLI default subscription (&lt;path&gt;)".</summary>
        public string Source { get; }

        public override string ToString() => SubscriptionId + " (" + Source + ")";
    }
}
