using System.Text;
using System.Text.Json.Nodes;

namespace ArmEmulator;

/// <summary>
/// POST .../managedClusters/{name}/listClusterUserCredential | listClusterAdminCredential: {"kubeconfigs":[{"name":
/// "clusterUser"|"clusterAdmin","value":"base64 kubeconfig"}]}. Each needs its own action (Reader has neither).
/// </summary>
internal static class ClusterCredentialRoutes
{
    private const string Type = "Microsoft.ContainerService/managedClusters";

    public static ArmRoute? Resolve(string method, string[] s, string sub, string rg, string name, string operation)
    {
        bool admin;
        if (operation.Equals("listClusterUserCredential", StringComparison.OrdinalIgnoreCase)) admin = false;
        else if (operation.Equals("listClusterAdminCredential", StringComparison.OrdinalIgnoreCase)) admin = true;
        else return null;
        if (method != "POST") return ArmRouter.NotAllowed(method, s, ApiVersions.ManagedClusters);
        return new ArmRoute
        {
            ResourceType = ApiVersions.ManagedClusters,
            Segments = s,
            SubscriptionId = sub,
            ResourceGroup = rg,
            Action = $"{Type}/{(admin ? "listClusterAdminCredential" : "listClusterUserCredential")}/action",
            AuthScope = $"/subscriptions/{sub}/resourceGroups/{rg}/providers/{Type}/{name}",
            Handler = call =>
            {
                call.RequireResourceGroup();
                var cluster = call.Store.Cluster(sub, rg, name) ?? throw ArmErrors.ResourceNotFound(Type, name, rg);
                var kubeconfig = Kubeconfig.Build(call.Runtime, call.Runtime.ServerCertificate!, cluster, admin);
                return new ArmResponse(200, new JsonObject
                {
                    ["kubeconfigs"] = new JsonArray(new JsonObject
                    {
                        ["name"] = admin ? "clusterAdmin" : "clusterUser",
                        ["value"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)),
                    }),
                });
            },
        };
    }
}
