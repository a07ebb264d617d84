using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ArmEmulator;

/// <summary>
/// The kubeconfig that POST .../listClusterUserCredential and .../listClusterAdminCredential return (base64 in
/// kubeconfigs[0].value), laid out as AKS writes it: the emulator's certificate as certificate-authority-data; the user a
/// static token (local accounts), for the admin also a client certificate; for an Entra-integrated cluster the user runs
/// kubelogin (exec plugin) for a token of the AKS server application.
/// </summary>
internal static class Kubeconfig
{
    public static string Build(EmulatorRuntime runtime, X509Certificate2 serverCertificate, ClusterState c, bool admin)
    {
        var userName = $"{(admin ? "clusterAdmin" : "clusterUser")}_{c.ResourceGroup}_{c.Name}";
        var contextName = admin ? $"{c.Name}-admin" : c.Name;
        var ca = B64(SelfSignedCertificate.ToPem(serverCertificate));
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nclusters:\n- cluster:\n");
        sb.Append($"    certificate-authority-data: {ca}\n");
        sb.Append($"    server: {ClusterEndpoint.Server(runtime, c)}\n");
        sb.Append($"  name: {c.Name}\ncontexts:\n- context:\n    cluster: {c.Name}\n    user: {userName}\n  name: {contextName}\n");
        sb.Append($"current-context: {contextName}\nkind: Config\npreferences: {{}}\nusers:\n- name: {userName}\n  user:\n");
        if (!admin && c.Kubernetes.EntraIntegrated)
        {
            var tenant = runtime.Store.Current.TenantId;
            sb.Append("    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      args:\n      - get-token\n");
            sb.Append("      - --environment\n      - AzurePublicCloud\n");
            sb.Append($"      - --server-id\n      - {ClusterEndpoint.AksServerAppId}\n");
            sb.Append($"      - --client-id\n      - {ClusterEndpoint.AksClientAppId}\n");
            sb.Append($"      - --tenant-id\n      - {tenant}\n      - --login\n      - devicecode\n");
            sb.Append("      command: kubelogin\n      env: null\n      interactiveMode: IfAvailable\n      provideClusterInfo: false\n");
            return sb.ToString();
        }
        if (admin)
        {
            var (cert, key) = ClientCertificate(userName);
            sb.Append($"    client-certificate-data: {B64(cert)}\n    client-key-data: {B64(key)}\n");
        }
        sb.Append($"    token: {ClusterEndpoint.LocalToken(c, admin ? "clusterAdmin" : "clusterUser")}\n");
        return sb.ToString();
    }

    private static (string CertPem, string KeyPem) ClientCertificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"O=system:masters, CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        return (cert.ExportCertificatePem() + "\n", key.ExportRSAPrivateKeyPem() + "\n");
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
