using System;
using System.IO;
using System.Text.Json;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Finds the subscription to use when the caller names none, the way az and Az.Accounts users expect.</summary>
    internal static class DefaultSubscriptionResolver
    {
        internal const string ConnectionSource = "connection";
        internal const string EnvironmentVariable = "AZURE_SUBSCRIPTION_ID";

        public static ResolvedSubscription? Resolve(string? fromOptions, CliProfileCache? cache = null)
        {
            if (!string.IsNullOrWhiteSpace(fromOptions)) return new ResolvedSubscription(fromOptions!.Trim(), ConnectionSource);
            var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (InputValidator.IsGuid(fromEnvironment?.Trim())) return new ResolvedSubscription(fromEnvironment!.Trim(), EnvironmentVariable);
            var profile = AzureCliProfilePath();
            var fromCli = profile == null ? null : cache != null ? cache.ReadDefault(profile) : ReadCliDefault(profile);
            return fromCli == null ? null : new ResolvedSubscription(fromCli, "Azure CLI default subscription (" + profile + ")");
        }

        internal static string OnlyVisibleSource(SubscriptionSummary subscription) =>
            "the only subscription the credential can see" + (subscription.DisplayName.Length == 0 ? "" : " ('" + subscription.DisplayName + "')");

        internal static string? AzureCliProfilePath()
        {
            var configDir = Environment.GetEnvironmentVariable("AZURE_CONFIG_DIR");
            if (string.IsNullOrWhiteSpace(configDir))
            {
                var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                if (string.IsNullOrEmpty(home)) return null;
                configDir = Path.Combine(home, ".azure");
            }
            return Path.Combine(configDir, "azureProfile.json");
        }

        /// <summary>
        /// The CLI default of one profile file, re-read only when the file's path, last-write time or length changed
        /// (az account set rewrites it), so resolving on every access stays a stat, not a parse. Thread-safe.
        /// </summary>
        internal sealed class CliProfileCache
        {
            private readonly object _gate = new object();
            private string? _path;
            private DateTime _lastWriteUtc;
            private long _length = -1;
            private string? _subscriptionId;

            public string? ReadDefault(string path)
            {
                DateTime lastWriteUtc;
                long length;
                try
                {
                    var file = new FileInfo(path);
                    if (!file.Exists) return null;
                    lastWriteUtc = file.LastWriteTimeUtc;
                    length = file.Length;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
                {
                    return null;
                }
                lock (_gate)
                {
                    if (_path == path && _lastWriteUtc == lastWriteUtc && _length == length) return _subscriptionId;
                }
                var subscriptionId = ReadCliDefault(path);
                lock (_gate)
                {
                    _path = path;
                    _lastWriteUtc = lastWriteUtc;
                    _length = length;
                    _subscriptionId = subscriptionId;
                }
                return subscriptionId;
            }
        }

        /// <summary>subscriptions[].isDefault of the CLI profile; null when absent or unreadable.</summary>
        internal static string? ReadCliDefault(string path)
        {
            try
            {
                if (!File.Exists(path)) return null;
                // The CLI writes this file with a UTF-8 BOM, which JsonDocument rejects; ReadAllText drops it.
                var text = File.ReadAllText(path).TrimStart('\uFEFF');
                using var doc = JsonDocument.Parse(text);
                var subscriptions = ArmJson.Property(doc.RootElement, "subscriptions");
                if (subscriptions?.ValueKind != JsonValueKind.Array) return null;
                foreach (var subscription in subscriptions.Value.EnumerateArray())
                {
                    var id = ArmJson.String(subscription, "id");
                    if (ArmJson.Bool(subscription, "isDefault") && InputValidator.IsGuid(id)) return id;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException)
            {
                // An unreadable profile is the same as none: the caller asks for -SubscriptionId.
            }
            return null;
        }
    }
}
