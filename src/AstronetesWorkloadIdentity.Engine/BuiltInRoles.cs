using System;
using System.Collections.Generic;
using System.Linq;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Built-in role definition GUIDs, identical in every tenant, so the common roles need no lookup call.</summary>
    public static class BuiltInRoles
    {
        private static readonly Dictionary<string, string> Ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Reader"] = "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            ["Contributor"] = "b24988ac-6180-42a0-ab88-20f7382dd24c",
            ["Owner"] = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            ["User Access Administrator"] = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
            ["Role Based Access Control Administrator"] = "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
            ["Monitoring Reader"] = "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
            ["Managed Identity Operator"] = "f1a07417-d97a-45cb-824c-7a7467783830",
            ["Azure Kubernetes Service Cluster User Role"] = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
            ["Azure Kubernetes Service RBAC Reader"] = "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
        };

        public static IReadOnlyList<string> Names { get; } = Ids.Keys.ToArray();

        public static bool TryGetId(string roleName, out string roleDefinitionGuid)
        {
            roleDefinitionGuid = "";
            if (roleName == null || !Ids.TryGetValue(roleName, out var id)) return false;
            roleDefinitionGuid = id;
            return true;
        }
    }
}
