using System.Text.Json;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Maps ARM bodies to the engine's models; names and IDs fall back to what the request asked for.</summary>
    internal static class ArmModelParser
    {
        public static ManagedCluster ManagedCluster(JsonElement body, string requestedId)
        {
            var id = ArmJson.String(body, "id") ?? requestedId;
            var issuer = ArmJson.String(body, "properties", "oidcIssuerProfile", "issuerURL");
            return new ManagedCluster(
                id,
                ArmJson.String(body, "name") ?? ArmResourceId.LastSegment(id),
                ArmJson.String(body, "location") ?? "",
                ArmResourceId.SubscriptionOf(id) ?? ArmResourceId.SubscriptionOf(requestedId) ?? "",
                ArmResourceId.ResourceGroupOf(id) ?? ArmResourceId.ResourceGroupOf(requestedId) ?? "",
                ArmJson.String(body, "properties", "provisioningState"),
                ArmJson.Bool(body, "properties", "oidcIssuerProfile", "enabled"),
                string.IsNullOrEmpty(issuer) ? null : issuer,
                ArmJson.Bool(body, "properties", "securityProfile", "workloadIdentity", "enabled"));
        }

        public static SubscriptionSummary Subscription(JsonElement body, string requestedId)
        {
            var id = ArmJson.String(body, "subscriptionId") ?? ArmResourceId.LastSegment(ArmJson.String(body, "id") ?? requestedId);
            return new SubscriptionSummary(id, ArmJson.String(body, "displayName") ?? "", ArmJson.String(body, "state") ?? "");
        }

        public static ResourceGroup ResourceGroup(JsonElement body, string requestedId)
        {
            var id = ArmJson.String(body, "id") ?? requestedId;
            return new ResourceGroup(id, ArmJson.String(body, "name") ?? ArmResourceId.LastSegment(id), ArmJson.String(body, "location") ?? "");
        }

        public static UserAssignedIdentity Identity(JsonElement body, string requestedId)
        {
            var id = ArmJson.String(body, "id") ?? requestedId;
            return new UserAssignedIdentity(
                id,
                ArmJson.String(body, "name") ?? ArmResourceId.LastSegment(id),
                ArmJson.String(body, "location") ?? "",
                ArmResourceId.SubscriptionOf(id) ?? "",
                ArmResourceId.ResourceGroupOf(id) ?? "",
                ArmJson.StringMap(body, "tags"),
                ArmJson.String(body, "properties", "clientId") ?? "",
                ArmJson.String(body, "properties", "principalId") ?? "",
                ArmJson.String(body, "properties", "tenantId") ?? "");
        }

        public static FederatedIdentityCredential FederatedCredential(JsonElement body, string requestedId)
        {
            var id = ArmJson.String(body, "id") ?? requestedId;
            return new FederatedIdentityCredential(
                id,
                ArmJson.String(body, "name") ?? ArmResourceId.LastSegment(id),
                ArmJson.String(body, "properties", "issuer") ?? "",
                ArmJson.String(body, "properties", "subject") ?? "",
                ArmJson.StringList(body, "properties", "audiences"));
        }

        public static RoleAssignment RoleAssignment(JsonElement body, string requestedId)
        {
            var id = ArmJson.String(body, "id") ?? requestedId;
            var marker = id.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", System.StringComparison.OrdinalIgnoreCase);
            var scopeFromId = marker > 0 ? id.Substring(0, marker) : "/";
            return new RoleAssignment(
                id,
                ArmJson.String(body, "name") ?? ArmResourceId.LastSegment(id),
                ArmJson.String(body, "properties", "scope") ?? scopeFromId,
                ArmJson.String(body, "properties", "roleDefinitionId") ?? "",
                ArmJson.String(body, "properties", "principalId") ?? "",
                ArmJson.String(body, "properties", "principalType"));
        }

        public static RoleDefinition RoleDefinition(JsonElement body, string requestedId)
        {
            var id = ArmJson.String(body, "id") ?? requestedId;
            return new RoleDefinition(
                id,
                ArmJson.String(body, "name") ?? ArmResourceId.LastSegment(id),
                ArmJson.String(body, "properties", "roleName") ?? "",
                ArmJson.String(body, "properties", "type"));
        }
    }
}
