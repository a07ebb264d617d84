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
        /// <summary>"connection", "AZURE_SUBSCRIPTION_ID", "Azure CLI default subscription (&lt;path&gt;)" or "the only subscription the credential can see ('&lt;name&gt;')".</summary>
        public string Source { get; }

        public override string ToString() => SubscriptionId + " (" + Source + ")";
    }
}
