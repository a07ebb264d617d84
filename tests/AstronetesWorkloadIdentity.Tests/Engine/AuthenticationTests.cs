using System.Security.Authentication;
using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Engine;

[Collection(EnvironmentVariableCollection.Name)]
public class AuthenticationTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture emulator;

    public AuthenticationTests(EmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
    }

    [Fact]
    public async Task DefaultCredentialAuthenticatesFromEnvironmentVariables()
    {
        using var env = new EnvironmentScope()
            .Set("AZURE_CLIENT_ID", EmulatorDefaults.DeployerClientId)
            .Set("AZURE_CLIENT_SECRET", EmulatorDefaults.DeployerClientSecret)
            .Set("AZURE_TENANT_ID", EmulatorDefaults.TenantId)
            .Set("AZURE_AUTHORITY_HOST", emulator.Server.BaseUri.ToString());
        using var connection = ArmConnection.Create(new ArmConnectionOptions
        {
            Cloud = emulator.Cloud,
            TrustedCertificateThumbprint = emulator.Server.Thumbprint,
            SubscriptionId = emulator.SubscriptionId,
        });

        var cluster = await connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default);

        Assert.Equal(EmulatorDefaults.ClusterReady, cluster.Name);
        Assert.Contains(emulator.Server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/oauth2/v2.0/token") && r.Status == 200);
    }

    [Fact]
    public async Task WrongThumbprintIsOneClearErrorWithoutRetries()
    {
        var wrong = new string('A', 40);
        using var connection = emulator.CreateDeployerConnection(o =>
        {
            o.TrustedCertificateThumbprint = wrong;
            o.MaxRetries = 4;
            o.RetryDelay = TimeSpan.FromSeconds(1); // retried, this would take 1+2+4+8 s
        });
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), "took " + stopwatch.Elapsed); // retried it would take 15 s
        Assert.Equal("ServerCertificateUntrusted", ex.ErrorCode);
        Assert.Equal(0, ex.Status);
        Assert.Contains("The server certificate of " + emulator.Server.BaseUri + " is not trusted", ex.Message);
        Assert.Contains("SHA-1 thumbprint " + emulator.Server.Thumbprint, ex.Message);                   // what the server presented
        Assert.Contains("The pinned thumbprint (-TrustedCertificateThumbprint) is " + wrong, ex.Message); // what was pinned
        Assert.Contains("Pass the thumbprint of this endpoint's real certificate with -TrustedCertificateThumbprint", ex.Message);
        Assert.Contains("never switched off", ex.Message);
        Assert.DoesNotContain("az login", ex.Message);
        Assert.DoesNotContain(EmulatorDefaults.DeployerClientSecret, ex.Message);
        Assert.Contains(Chain(ex), e => e is AuthenticationException);
        Assert.Empty(emulator.Server.Requests); // the TLS handshake failed before any request was read
    }

    [Fact]
    public async Task SelfSignedEndpointWithoutAPinIsOneClearErrorNamingThePresentedThumbprint()
    {
        using var connection = emulator.CreateDeployerConnection(o =>
        {
            o.TrustedCertificateThumbprint = null;
            o.MaxRetries = 4;
            o.RetryDelay = TimeSpan.FromSeconds(1);
        });
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient().GetResourceGroupAsync(emulator.SubscriptionId, emulator.ResourceGroup, default));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), "took " + stopwatch.Elapsed); // retried it would take 15 s
        Assert.Equal("ServerCertificateUntrusted", ex.ErrorCode);
        Assert.Contains("SHA-1 thumbprint " + emulator.Server.Thumbprint, ex.Message);
        Assert.Contains("No thumbprint is pinned (-TrustedCertificateThumbprint)", ex.Message);
        Assert.Contains("(while getting a token)", ex.Message);
        Assert.DoesNotContain(EmulatorDefaults.DeployerClientSecret, ex.Message);
    }

    [Fact]
    public async Task WrongThumbprintIsNotRetriedOnTheArmPipelineEither()
    {
        var token = await GetTokenThroughTokenEndpoint();
        using var connection = ArmConnection.Create(new ArmConnectionOptions
        {
            Cloud = emulator.Cloud,
            CredentialKind = CredentialKind.AccessToken, // no token request: the ARM call itself meets the certificate
            AccessToken = token,
            TrustedCertificateThumbprint = new string('B', 64),
            MaxRetries = 4,
            RetryDelay = TimeSpan.FromMilliseconds(20),
        });
        var recorder = new ArmCallRecorder();

        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient(recorder).GetResourceGroupAsync(emulator.SubscriptionId, emulator.ResourceGroup, default));

        Assert.Equal("ServerCertificateUntrusted", ex.ErrorCode);
        Assert.Single(recorder.Records);
        Assert.Contains("The pinned thumbprint (-TrustedCertificateThumbprint) is " + new string('B', 64), ex.Message);
        Assert.DoesNotContain("(while getting a token)", ex.Message);
        Assert.DoesNotContain(token, ex.Message);
    }

    [Theory]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(500, "InternalServerError")]
    [InlineData(429, "TooManyRequests")]
    public async Task UnavailableTokenEndpointIsNotAnAuthenticationFailure(int status, string code)
    {
        emulator.Server.AddFaults([new FaultRule { Method = "POST", Path = "/oauth2/v2.0/token$", Status = status, Code = code }]);
        using var connection = emulator.CreateDeployerConnection(o => o.MaxRetries = 1);

        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient().GetResourceGroupAsync(emulator.SubscriptionId, emulator.ResourceGroup, default));

        Assert.Equal("AuthorityUnavailable", ex.ErrorCode);
        Assert.Contains("The sign-in authority " + emulator.Server.BaseUri + " was unavailable (HTTP " + status, ex.Message);
        Assert.Contains("after 1 retry,", ex.Message);
        Assert.Contains("not a problem with the credential", ex.Message);
        Assert.DoesNotContain(EmulatorDefaults.DeployerClientSecret, ex.Message);
        Assert.Empty(emulator.ArmRequests());
    }

    [Fact]
    public async Task Sha256ThumbprintWithSeparatorsIsAccepted()
    {
        var sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(emulator.Server.Certificate.RawData));
        var spaced = string.Join(":", Enumerable.Range(0, sha256.Length / 2).Select(i => sha256.Substring(i * 2, 2))).ToLowerInvariant();
        using var connection = emulator.CreateDeployerConnection(o => o.TrustedCertificateThumbprint = spaced);

        var group = await connection.CreateClient().GetResourceGroupAsync(emulator.SubscriptionId, emulator.ResourceGroup, default);

        Assert.Equal(EmulatorDefaults.Location, group.Location);
    }

    [Fact]
    public async Task WrongClientSecretIsAnAuthenticationFailureThatNeverShowsTheSecret()
    {
        const string secret = "wrong-secret-value-1234";
        using var connection = emulator.CreateDeployerConnection(o => { o.ClientSecret = secret; o.MaxRetries = 0; });

        var ex = await Assert.ThrowsAsync<ArmException>(() =>
            connection.CreateClient().GetManagedClusterAsync(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady, default));

        Assert.Equal("AuthenticationFailed", ex.ErrorCode);
        Assert.IsType<Azure.Identity.AuthenticationFailedException>(ex.InnerException);
        Assert.All(Chain(ex), e => Assert.DoesNotContain(secret, e.Message));
        Assert.Empty(emulator.ArmRequests());
    }

    [Fact]
    public async Task AccessTokenCredentialSendsTheGivenToken()
    {
        var token = await GetTokenThroughTokenEndpoint();
        using var connection = ArmConnection.Create(new ArmConnectionOptions
        {
            Cloud = emulator.Cloud,
            CredentialKind = CredentialKind.AccessToken,
            AccessToken = token,
            TrustedCertificateThumbprint = emulator.Server.Thumbprint,
        });
        emulator.Reset();

        var group = await connection.CreateClient().GetResourceGroupAsync(emulator.SubscriptionId, emulator.ResourceGroup, default);

        Assert.Equal(emulator.ResourceGroup, group.Name);
        Assert.Single(emulator.Server.Requests); // no token request: the token was given
    }

    [Theory]
    [InlineData(CredentialKind.ClientSecret, "ClientSecret")]
    [InlineData(CredentialKind.ClientCertificate, "ClientCertificate")]
    [InlineData(CredentialKind.AccessToken, "AccessToken")]
    public void MissingCredentialPartsAreRejectedBeforeAnyCall(CredentialKind kind, string parameter)
    {
        var ex = Assert.Throws<InputValidationException>(() => ArmConnection.Create(new ArmConnectionOptions
        {
            Cloud = emulator.Cloud,
            CredentialKind = kind,
            TenantId = EmulatorDefaults.TenantId,
            ClientId = EmulatorDefaults.DeployerClientId,
        }));

        Assert.Equal(parameter, ex.ParamName);
        Assert.Empty(emulator.Server.Requests);
    }

    [Fact]
    public void ClientSecretWithoutTenantIsRejected()
    {
        var ex = Assert.Throws<InputValidationException>(() => ArmConnection.Create(new ArmConnectionOptions
        {
            CredentialKind = CredentialKind.ClientSecret, ClientId = EmulatorDefaults.DeployerClientId, ClientSecret = "s",
        }));
        Assert.Equal("TenantId", ex.ParamName);
        Assert.DoesNotContain("'s'", ex.Message);
    }

    [Fact]
    public void MalformedThumbprintIsRejected()
    {
        var ex = Assert.Throws<InputValidationException>(() => emulator.CreateDeployerConnection(o => o.TrustedCertificateThumbprint = "not-hex"));
        Assert.Equal("TrustedCertificateThumbprint", ex.ParamName);
    }

    [Fact]
    public void CustomCloudMustBeHttps()
    {
        var ex = Assert.Throws<InputValidationException>(() => AzureCloudEnvironment.Custom(new Uri("http://127.0.0.1:1/"), new Uri("https://127.0.0.1:1/")));
        Assert.Equal("ResourceManagerEndpoint", ex.ParamName);
        Assert.Equal("https://management.azure.com/.default", AzureCloudEnvironment.FromName("azurecloud").DefaultScope);
        Assert.Throws<InputValidationException>(() => AzureCloudEnvironment.FromName("Mars"));
    }

    [Fact]
    public void DefaultSubscriptionComesFromOptionsThenEnvironmentThenAzureCli()
    {
        var configDir = Directory.CreateTempSubdirectory("azcfg").FullName;
        try
        {
            const string cliDefault = "11111111-2222-3333-4444-555555555555";
            var profile = Path.Combine(configDir, "azureProfile.json");
            File.WriteAllText(profile, $$"""{"installationId":"x","subscriptions":[{"id":"99999999-2222-3333-4444-555555555555","isDefault":false},{"id":"{{cliDefault}}","isDefault":true,"name":"dev"}]}""",
                new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            using var env = new EnvironmentScope().Set("AZURE_CONFIG_DIR", configDir).Set("AZURE_SUBSCRIPTION_ID", null);

            using (var fromCli = emulator.CreateDeployerConnection(o => o.SubscriptionId = null))
            {
                Assert.Equal(cliDefault, fromCli.DefaultSubscription!.SubscriptionId);
                Assert.Equal("Azure CLI default subscription (" + profile + ")", fromCli.DefaultSubscription.Source);
            }

            env.Set("AZURE_SUBSCRIPTION_ID", "22222222-2222-3333-4444-555555555555");
            using (var fromEnv = emulator.CreateDeployerConnection(o => o.SubscriptionId = null))
            {
                Assert.Equal("22222222-2222-3333-4444-555555555555", fromEnv.DefaultSubscription!.SubscriptionId);
                Assert.Equal("AZURE_SUBSCRIPTION_ID", fromEnv.DefaultSubscription.Source);
            }

            using (var fromOptions = emulator.CreateDeployerConnection())
            {
                Assert.Equal(emulator.SubscriptionId, fromOptions.DefaultSubscription!.SubscriptionId);
                Assert.Equal("connection", fromOptions.DefaultSubscription.Source);
            }

            env.Set("AZURE_SUBSCRIPTION_ID", null).Set("AZURE_CONFIG_DIR", Path.Combine(configDir, "none"));
            using var none = emulator.CreateDeployerConnection(o => o.SubscriptionId = null);
            Assert.Null(none.DefaultSubscription);
        }
        finally
        {
            Directory.Delete(configDir, recursive: true);
        }
    }

    [Fact]
    public void DefaultSubscriptionFollowsEnvironmentAndAzureCliChangesAfterConnecting()
    {
        var configDir = Directory.CreateTempSubdirectory("azcfg").FullName;
        try
        {
            var profile = Path.Combine(configDir, "azureProfile.json");
            using var env = new EnvironmentScope().Set("AZURE_CONFIG_DIR", configDir).Set("AZURE_SUBSCRIPTION_ID", null);
            using var connection = emulator.CreateDeployerConnection(o => o.SubscriptionId = null);
            using var pinned = emulator.CreateDeployerConnection();
            Assert.Null(connection.DefaultSubscription);

            // The user sets the variable after the first cmdlet call.
            env.Set("AZURE_SUBSCRIPTION_ID", "22222222-2222-3333-4444-555555555555");
            Assert.Equal("22222222-2222-3333-4444-555555555555", connection.DefaultSubscription!.SubscriptionId);
            Assert.Equal("AZURE_SUBSCRIPTION_ID", connection.DefaultSubscription.Source);

            // ... then clears it and runs 'az account set' (twice: the profile is re-read when it changes).
            env.Set("AZURE_SUBSCRIPTION_ID", null);
            Assert.Null(connection.DefaultSubscription);
            WriteProfile(profile, "11111111-2222-3333-4444-555555555555", DateTime.UtcNow.AddMinutes(-2));
            Assert.Equal("11111111-2222-3333-4444-555555555555", connection.DefaultSubscription!.SubscriptionId);
            Assert.Equal("Azure CLI default subscription (" + profile + ")", connection.DefaultSubscription.Source);
            WriteProfile(profile, "33333333-2222-3333-4444-555555555555", DateTime.UtcNow.AddMinutes(-1));
            Assert.Equal("33333333-2222-3333-4444-555555555555", connection.DefaultSubscription!.SubscriptionId);
            File.Delete(profile);
            Assert.Null(connection.DefaultSubscription);

            // An explicit subscription stays fixed whatever the environment says.
            env.Set("AZURE_SUBSCRIPTION_ID", "22222222-2222-3333-4444-555555555555");
            Assert.Equal(emulator.SubscriptionId, pinned.DefaultSubscription!.SubscriptionId);
            Assert.Equal("connection", pinned.DefaultSubscription.Source);
        }
        finally
        {
            Directory.Delete(configDir, recursive: true);
        }

        static void WriteProfile(string path, string defaultId, DateTime lastWriteUtc)
        {
            File.WriteAllText(path, $$"""{"subscriptions":[{"id":"{{defaultId}}","isDefault":true}]}""");
            File.SetLastWriteTimeUtc(path, lastWriteUtc);
        }
    }

    private async Task<string> GetTokenThroughTokenEndpoint()
    {
        var credential = new Azure.Identity.ClientSecretCredential(EmulatorDefaults.TenantId, EmulatorDefaults.DeployerClientId, EmulatorDefaults.DeployerClientSecret,
            new Azure.Identity.ClientSecretCredentialOptions
            {
                AuthorityHost = emulator.Server.BaseUri,
                DisableInstanceDiscovery = true,
                Transport = new Azure.Core.Pipeline.HttpClientTransport(new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (_, cert, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || cert?.Thumbprint == emulator.Server.Thumbprint,
                }),
            });
        var token = await credential.GetTokenAsync(new Azure.Core.TokenRequestContext([emulator.Cloud.DefaultScope]), default);
        return token.Token;
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e != null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }
}
