using System.Management.Automation;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>Export-AgentConfiguration after a real setup against the emulator; every format is parsed back.</summary>
public sealed class ExportAgentConfigurationTests : ConnectedShellTests
{
    private readonly AgentConfiguration configuration;

    public ExportAgentConfigurationTests(EmulatorFixture emulator) : base(emulator)
    {
        ScriptResult setup = shell.Run("$configuration = " + OneLineSetup.Chain + "\n$configuration");
        setup.AssertNoErrors();
        configuration = setup.Single<AgentConfiguration>();
    }

    private string Export(string format)
    {
        ScriptResult result = shell.Run("$configuration | Export-AgentConfiguration -Format " + format);
        result.AssertNoErrors();
        return Assert.IsType<string>(Assert.Single(result.Output));
    }

    [Fact]
    public void Json_reads_back_with_ConvertFrom_Json()
    {
        shell.Set("json", Export("Json"));
        ScriptResult parsed = shell.Run("$o = $json | ConvertFrom-Json; $o.clientId, $o.tenantId, $o.subscriptionId, $o.namespace, $o.serviceAccountName, $o.issuerUrl, $o.identityResourceId");

        parsed.AssertNoErrors();
        Assert.Equal(
            new object?[] { configuration.ClientId, configuration.TenantId, configuration.SubscriptionId, "resiliency-system", "my-agent", configuration.IssuerUrl, configuration.IdentityResourceId },
            parsed.Output);
        Assert.Equal(EmulatorDefaults.TenantId, configuration.TenantId);
    }

    [Fact]
    public void Yaml_reads_back_with_YamlDotNet()
    {
        var values = new Deserializer().Deserialize<Dictionary<string, string>>(Export("Yaml"));

        Assert.Equal(configuration.ClientId, values["clientId"]);
        Assert.Equal(configuration.TenantId, values["tenantId"]);
        Assert.Equal(configuration.SubscriptionId, values["subscriptionId"]);
        Assert.Equal("resiliency-system", values["namespace"]);
        Assert.Equal("my-agent", values["serviceAccountName"]);
        Assert.Equal(configuration.IssuerUrl, values["issuerUrl"]);
    }

    [Fact]
    public void Env_is_KEY_equals_value_lines()
    {
        string text = Export("Env");

        var values = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(configuration.ClientId, values["AZURE_CLIENT_ID"]);
        Assert.Equal(configuration.TenantId, values["AZURE_TENANT_ID"]);
        Assert.Equal(configuration.SubscriptionId, values["AZURE_SUBSCRIPTION_ID"]);
        Assert.Equal("resiliency-system", values["ASTRONETES_NAMESPACE"]);
        Assert.Equal("my-agent", values["ASTRONETES_SERVICE_ACCOUNT_NAME"]);
        Assert.Equal(5, values.Count);
    }

    [Fact]
    public void ServiceAccount_is_a_manifest_with_the_workload_identity_annotations()
    {
        var manifest = (YamlMappingNode)Parse(Export("ServiceAccount")).Single();

        Assert.Equal("v1", Scalar(manifest, "apiVersion"));
        Assert.Equal("ServiceAccount", Scalar(manifest, "kind"));
        var metadata = (YamlMappingNode)manifest["metadata"];
        Assert.Equal("my-agent", Scalar(metadata, "name"));
        Assert.Equal("resiliency-system", Scalar(metadata, "namespace"));
        var annotations = (YamlMappingNode)metadata["annotations"];
        Assert.Equal(configuration.ClientId, Scalar(annotations, "azure.workload.identity/client-id"));
        Assert.Equal(configuration.TenantId, Scalar(annotations, "azure.workload.identity/tenant-id"));
        Assert.Equal(2, annotations.Children.Count);
    }

    [Fact]
    public void Many_agents_are_a_json_array_and_one_yaml_document_each()
    {
        ScriptResult second = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name astronetes-azure-agent | New-AgentRoleAssignment | New-AgentFederatedCredential -AgentName other-agent -Namespace team-b | Tee-Object -Variable other | Out-Null");
        second.AssertNoErrors();

        shell.Set("json", shell.Run("$configuration, $other | Export-AgentConfiguration Json").Output.Single());
        ScriptResult names = shell.Run("($json | ConvertFrom-Json).serviceAccountName");
        var documents = Parse((string)shell.Run("$configuration, $other | Export-AgentConfiguration ServiceAccount").Output.Single()!);

        Assert.Equal(new object?[] { "my-agent", "other-agent" }, names.Output);
        Assert.Equal(new[] { "resiliency-system", "team-b" }, documents.Select(d => Scalar((YamlMappingNode)((YamlMappingNode)d)["metadata"], "namespace")));
    }

    [Fact]
    public void Values_that_YAML_would_read_as_numbers_or_booleans_are_quoted()
    {
        // Valid Kubernetes names that a plain YAML scalar would turn into 1234 and true.
        ScriptResult result = shell.Run("$configuration | Export-AgentConfiguration Yaml -Namespace 1234 -ServiceAccountName true");
        result.AssertNoErrors();

        var document = (YamlMappingNode)Parse((string)result.Output.Single()!).Single();
        Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, ((YamlScalarNode)document["namespace"]).Style);
        Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, ((YamlScalarNode)document["serviceAccountName"]).Style);
        var typed = new Deserializer().Deserialize<Dictionary<string, object>>((string)result.Output.Single()!);
        Assert.Equal("1234", typed["namespace"]);
    }

    [Fact]
    public void Path_writes_the_file_and_WhatIf_does_not()
    {
        string folder = Directory.CreateTempSubdirectory("awi-export-").FullName;
        try
        {
            shell.Set("folder", folder);
            ScriptResult result = shell.Run("""
                $configuration | Export-AgentConfiguration ServiceAccount -Path (Join-Path $folder sa.yaml)
                $configuration | Export-AgentConfiguration Env -Path (Join-Path $folder agent.env) -WhatIf
                """);

            result.AssertNoErrors();
            Assert.Empty(result.Output);
            var manifest = (YamlMappingNode)Parse(File.ReadAllText(Path.Combine(folder, "sa.yaml"))).Single();
            Assert.Equal("ServiceAccount", Scalar(manifest, "kind"));
            Assert.False(File.Exists(Path.Combine(folder, "agent.env")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_previewed_configuration_without_a_client_id_is_refused_clearly()
    {
        ScriptResult result = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name other-identity -WhatIf | New-AgentRoleAssignment -WhatIf | New-AgentFederatedCredential -AgentName x -WhatIf | Export-AgentConfiguration Json");

        ErrorRecord error = result.SingleError("AgentConfigurationInvalid");
        Assert.Contains("ClientId", error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.Contains("-WhatIf", error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Env_refuses_a_second_agent_rather_than_mixing_two()
    {
        ScriptResult result = shell.Run("$configuration, $configuration | Export-AgentConfiguration Env");

        result.SingleError("EnvFormatHoldsOneAgent");
        Assert.Single(result.Output);
    }

    private static IReadOnlyList<YamlNode> Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    private static string? Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value;
}
