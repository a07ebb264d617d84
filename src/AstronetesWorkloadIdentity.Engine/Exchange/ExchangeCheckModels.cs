using System;

namespace AstronetesWorkloadIdentity.Engine.Exchange
{
    public enum CheckOutcome { Pass, Warn, Fail }

    /// <summary>One check of the end-to-end exchange: what was checked, how it came out, what was seen, and what to do.</summary>
    public sealed class ExchangeCheckResult
    {
        public ExchangeCheckResult(string check, CheckOutcome result, string detail, string? fix = null)
        {
            Check = check;
            Result = result;
            Detail = detail;
            Fix = fix;
        }

        public string Check { get; }
        public CheckOutcome Result { get; }
        public string Detail { get; }
        public string? Fix { get; }
        public override string ToString() => $"{Check}: {Result} - {Detail}";
    }

    /// <summary>Names of the checks, in the order they run.</summary>
    public static class ExchangeChecks
    {
        public const string ClusterCredentials = "ClusterCredentials";
        public const string ApiServer = "ApiServer";
        public const string ServiceAccount = "ServiceAccount";
        public const string ServiceAccountToken = "ServiceAccountToken";
        public const string TokenExchange = "TokenExchange";
        public const string ArmAsAgent = "ArmAsAgent";
        public const string ServiceAccountAnnotation = "ServiceAccountAnnotation";
        public const string AgentPods = "AgentPods";
    }

    /// <summary>The agent whose exchange is proven: where it runs (cluster, namespace, service account) and as whom (identity, scope).</summary>
    public sealed class ExchangeCheckSpec
    {
        public string SubscriptionId { get; set; } = "";
        public string ResourceGroupName { get; set; } = "";
        public string ClusterName { get; set; } = "";
        public string Namespace { get; set; } = AgentDefaults.Namespace;
        public string ServiceAccountName { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string IdentityClientId { get; set; } = "";
        /// <summary>The role assignment's scope: where the agent must be able to read.</summary>
        public string Scope { get; set; } = "";
        /// <summary>listClusterAdminCredential instead of listClusterUserCredential.</summary>
        public bool Admin { get; set; }
        /// <summary>Create a missing service account (with the client-id annotation), after <see cref="WriteApproval"/>.</summary>
        public bool CreateServiceAccount { get; set; }
        /// <summary>How long an AADSTS70021 or a 403 right after setup counts as "not yet" rather than "broken".</summary>
        public TimeSpan PropagationBound { get; set; } = TimeSpan.FromMinutes(2);
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    }

    /// <summary>Progress of a wait for propagation: what is awaited, and how much of the bound has passed.</summary>
    public sealed class ExchangeProgress
    {
        public ExchangeProgress(string check, string status, TimeSpan elapsed, TimeSpan bound, bool completed = false)
        {
            Check = check;
            Status = status;
            Elapsed = elapsed;
            Bound = bound;
            Completed = completed;
        }

        public string Check { get; }
        public string Status { get; }
        public TimeSpan Elapsed { get; }
        public TimeSpan Bound { get; }
        public bool Completed { get; }
        public int PercentComplete => Completed ? 100 : Bound <= TimeSpan.Zero ? 0 : (int)Math.Min(99, 100 * Elapsed.Ticks / Bound.Ticks);
    }
}
