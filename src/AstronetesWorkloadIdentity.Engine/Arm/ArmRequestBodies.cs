using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>PUT bodies, written with the exact wire casing ARM expects.</summary>
    internal static class ArmRequestBodies
    {
        internal const string AudienceRule = "a single audience of 1-600 characters without wildcards, normally 'api://AzureADTokenExchange'";
        internal const string RoleDefinitionIdRule = "a role definition ID: [/subscriptions/<GUID>]/providers/Microsoft.Authorization/roleDefinitions/<GUID>";

        public static byte[] Identity(string location, IReadOnlyDictionary<string, string>? tags)
            => Write(w =>
            {
                w.WriteString("location", location);
                if (tags != null)
                {
                    w.WriteStartObject("tags");
                    foreach (var tag in tags) w.WriteString(tag.Key, tag.Value);
                    w.WriteEndObject();
                }
            });

        public static byte[] FederatedCredential(string issuer, string subject, string audience)
            => Write(w =>
            {
                w.WriteStartObject("properties");
                w.WriteString("issuer", issuer);
                w.WriteString("subject", subject);
                w.WriteStartArray("audiences");
                w.WriteStringValue(audience);
                w.WriteEndArray();
                w.WriteEndObject();
            });

        public static byte[] RoleAssignment(string roleDefinitionId, string principalId, string principalType)
            => Write(w =>
            {
                w.WriteStartObject("properties");
                w.WriteString("roleDefinitionId", roleDefinitionId);
                w.WriteString("principalId", principalId);
                // Without it ARM looks the principal up as a user and answers PrincipalNotFound for a new identity.
                w.WriteString("principalType", principalType);
                w.WriteEndObject();
            });

        public static void ValidateAudience(string audience)
        {
            if (string.IsNullOrEmpty(audience) || audience.Length > AgentDefaults.MaxFederatedCredentialFieldLength || audience.Contains("*"))
                throw new InputValidationException("Audience", audience ?? "", AudienceRule);
        }

        public static void ValidateRoleDefinitionId(string roleDefinitionId)
        {
            var marker = "/providers/Microsoft.Authorization/roleDefinitions/";
            var at = roleDefinitionId?.IndexOf(marker, System.StringComparison.OrdinalIgnoreCase) ?? -1;
            if (at < 0 || !InputValidator.IsGuid(roleDefinitionId!.Substring(at + marker.Length)))
                throw new InputValidationException("RoleDefinitionId", roleDefinitionId ?? "", RoleDefinitionIdRule);
            if (at > 0) InputValidator.Scope(roleDefinitionId.Substring(0, at), "RoleDefinitionId");
        }

        private static byte[] Write(System.Action<Utf8JsonWriter> writeProperties)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writeProperties(writer);
                writer.WriteEndObject();
            }
            return stream.ToArray();
        }
    }
}
