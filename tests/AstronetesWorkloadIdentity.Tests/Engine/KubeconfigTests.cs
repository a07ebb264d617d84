using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AstronetesWorkloadIdentity.Engine.Kubernetes;

namespace AstronetesWorkloadIdentity.Tests.Engine;

public sealed class KubeconfigTests
{
    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static string Ca(X509Certificate2 cert) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(cert.ExportCertificatePem()));

    private static string Config(string clusterExtra, string user) => $"""
        apiVersion: v1
        clusters:
        - cluster:
        {clusterExtra}
            server: https://127.0.0.1:6443
          name: c
        contexts:
        - context:
            cluster: c
            user: u
          name: ctx
        current-context: ctx
        kind: Config
        users:
        - name: u
          user:
        {user}
        """;

    [Fact]
    public void TokenUser_AndTheCa_AreRead()
    {
        using var ca = SelfSigned("ca");
        var config = Kubeconfig.Parse(Config($"    certificate-authority-data: {Ca(ca)}", "    token: abc"));
        Assert.Equal(KubeCredentialKind.Token, config.CredentialKind);
        Assert.Equal(new Uri("https://127.0.0.1:6443"), config.Server);
        Assert.Equal(ca.RawData, Assert.Single(config.CertificateAuthority).RawData);
        Assert.DoesNotContain("abc", config.ToString());
    }

    [Fact]
    public void Kubelogin_IsReplacedByAnEntraTokenForItsServerId()
    {
        using var ca = SelfSigned("ca");
        var config = Kubeconfig.Parse(Config($"    certificate-authority-data: {Ca(ca)}",
            "    exec:\n      command: kubelogin\n      args:\n      - get-token\n      - --server-id\n      - 6dae42f8-4368-4678-94ff-3960e28e3630"));
        Assert.Equal(KubeCredentialKind.EntraId, config.CredentialKind);
        Assert.Equal(Kubeconfig.AksServerApplicationId, config.EntraServerId);
    }

    [Theory]
    [InlineData("    insecure-skip-tls-verify: true", "will not skip")]
    [InlineData("    insecure-skip-tls-verify: false", "no certificate-authority-data")]
    public void NoCa_OrSkippedVerification_IsRefused(string clusterExtra, string message)
    {
        var e = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(Config(clusterExtra, "    token: abc")));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ServerCertificate_MustChainToTheKubeconfigsCa_EvenWhenTheSystemTrustsIt()
    {
        using var server = SelfSigned("server");
        using var other = SelfSigned("other");
        Assert.True(ClusterCertificateValidation.IsTrusted(server, SslPolicyErrors.RemoteCertificateChainErrors, new X509Certificate2Collection(server)));
        Assert.False(ClusterCertificateValidation.IsTrusted(server, SslPolicyErrors.RemoteCertificateChainErrors, new X509Certificate2Collection(other)));
        Assert.False(ClusterCertificateValidation.IsTrusted(server, SslPolicyErrors.None, new X509Certificate2Collection(other)));
        Assert.False(ClusterCertificateValidation.IsTrusted(server, SslPolicyErrors.RemoteCertificateNameMismatch, new X509Certificate2Collection(server)));
    }
}
