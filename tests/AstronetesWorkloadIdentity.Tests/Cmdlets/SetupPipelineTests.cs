using System.Management.Automation;
using ArmEmulator;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>The issue's one-line setup, as a user runs it, against the emulator.</summary>
public sealed class SetupPipelineTests : ConnectedShellTests
{
    private const string Chain = OneLineSetup.Chain;

    public SetupPipelineTests(EmulatorFixture emulator)
        : base(emulator)
    {
    }

    [Fact]
    public void OneLine_creates_identity_reader_assignment_and_credential_then_rerun_writes_nothing()
    {
        ScriptResult first = shell.Run(Chain);
        first.AssertNoErrors();
        AgentConfiguration configuration = first.Single<AgentConfiguration>();

        EmulatorState state = emulator.Server.Snapshot();
        IdentityState identity = Assert.Single(state.Identities, i => i.Name == "astronetes-azure-agent");
        Assert.Equal(identity.ClientId, configuration.ClientId);
        Assert.Equal(EmulatorDefaults.TenantId, configuration.TenantId);
        Assert.Equal(EmulatorDefaults.SubscriptionId, configuration.SubscriptionId);
        Assert.Equal("resiliency-system", configuration.Namespace);
        Assert.Equal("my-agent", configuration.ServiceAccountName);
        Assert.Equal(("Created", "Created", "Created"), (configuration.IdentityAction, configuration.RoleAssignmentAction, configuration.FederatedCredentialAction));

        RoleAssignmentState assignment = Assert.Single(state.RoleAssignments, a => a.PrincipalId == identity.PrincipalId);
        Assert.Equal(EmulatorDefaults.ReaderRoleId, assignment.RoleDefinitionName);
        Assert.Equal("ServicePrincipal", assignment.PrincipalType);
        Assert.Equal("/subscriptions/" + EmulatorDefaults.SubscriptionId, assignment.Scope, ignoreCase: true);
        Assert.EndsWith(assignment.Name, configuration.RoleAssignmentId, StringComparison.OrdinalIgnoreCase);

        FederatedCredentialState credential = Assert.Single(identity.FederatedIdentityCredentials);
        Assert.EndsWith("/", credential.Issuer);
        Assert.Equal(credential.Issuer, configuration.IssuerUrl);
        Assert.Contains(EmulatorDefaults.ClusterReadyIssuerId, credential.Issuer);
        Assert.Equal("system:serviceaccount:resiliency-system:my-agent", credential.Subject);
        Assert.Equal(new[] { "api://AzureADTokenExchange" }, credential.Audiences);

        Assert.All(emulator.Server.Requests.Where(r => r.Path.StartsWith("/subscriptions", StringComparison.Ordinal)),
            r => Assert.Contains("AstronetesWorkloadIdentity/", r.UserAgent));

        int writesBefore = emulator.WriteCount();
        ScriptResult second = shell.Run(Chain);
        second.AssertNoErrors();
        AgentConfiguration again = second.Single<AgentConfiguration>();
        Assert.Equal(writesBefore, emulator.WriteCount());
        Assert.Equal(configuration.ClientId, again.ClientId);
        Assert.Equal(configuration.RoleAssignmentId, again.RoleAssignmentId, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(configuration.FederatedCredentialId, again.FederatedCredentialId, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("Existing", again.IdentityAction);
        Assert.Contains(again.RoleAssignmentAction, new[] { "Existing", "Adopted" });
        Assert.Contains(again.FederatedCredentialAction, new[] { "Existing", "Adopted" });
    }

    [Fact]
    public void WhatIf_previews_every_step_and_writes_nothing()
    {
        ScriptResult result = shell.Run(Chain.Replace("New-AgentManagedIdentity -Name astronetes-azure-agent", "New-AgentManagedIdentity -Name astronetes-azure-agent -WhatIf")
            .Replace("New-AgentRoleAssignment", "New-AgentRoleAssignment -WhatIf")
            .Replace("-AgentName my-agent", "-AgentName my-agent -WhatIf"));

        result.AssertNoErrors();
        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Equal(("Skipped", "Skipped", "Skipped"), (configuration.IdentityAction, configuration.RoleAssignmentAction, configuration.FederatedCredentialAction));
        Assert.Null(configuration.ClientId);
        Assert.EndsWith("/", configuration.IssuerUrl);
        Assert.Equal(0, emulator.WriteCount());
        Assert.DoesNotContain(emulator.Server.Snapshot().Identities, i => i.Name == "astronetes-azure-agent");
    }

    [Fact]
    public void WhatIf_names_the_identity_exactly_as_a_real_run_does()
    {
        ScriptResult preview = shell.Run("$WhatIfPreference = $true\n" + Chain + "\n$WhatIfPreference = $false");
        preview.AssertNoErrors();
        ScriptResult real = shell.Run(Chain);
        real.AssertNoErrors();
        Assert.Equal(real.Single<AgentConfiguration>().IdentityResourceId, preview.Single<AgentConfiguration>().IdentityResourceId);
    }

    [Fact]
    public void WhatIfPreference_in_the_session_previews_the_whole_line()
    {
        ScriptResult result = shell.Run("$WhatIfPreference = $true\n" + Chain + "\n$WhatIfPreference = $false");
        result.AssertNoErrors();
        Assert.Equal("Skipped", result.Single<AgentConfiguration>().FederatedCredentialAction);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Theory]
    [InlineData(EmulatorDefaults.ClusterNoOidc, "OIDC")]
    [InlineData(EmulatorDefaults.ClusterNoWorkloadIdentity, "orkload")]
    public void Cluster_that_is_not_ready_gives_a_clear_error_and_nothing_is_created(string cluster, string problemMentions)
    {
        ScriptResult result = shell.Run(Chain.Replace("aks-ready", cluster));

        Assert.Empty(result.Output);
        Assert.Equal(2, result.Errors.Count);
        ErrorRecord error = result.Errors[0];
        Assert.StartsWith("ClusterNotReady,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotEnabled, error.CategoryInfo.Category);
        Assert.EndsWith("/managedClusters/" + cluster, Assert.IsType<string>(error.TargetObject));
        Assert.Contains(problemMentions, error.ErrorDetails.Message);
        Assert.Equal("Enable-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName " + cluster + " turns on the OIDC issuer and workload identity.", error.ErrorDetails.RecommendedAction);

        // The downstream skip is its own short error, pointing at the first rather than repeating its fix.
        ErrorRecord skipped = result.Errors[1];
        Assert.StartsWith("IdentitySkippedClusterNotReady,", skipped.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotEnabled, skipped.CategoryInfo.Category);
        Assert.Equal(error.TargetObject, skipped.TargetObject);
        Assert.Equal("Identity 'astronetes-azure-agent' was not created: cluster '" + cluster + "' is not ready (see ClusterNotReady).", skipped.ErrorDetails.Message);
        Assert.True(string.IsNullOrEmpty(skipped.ErrorDetails.RecommendedAction));
        Assert.DoesNotContain("Enable-AksWorkloadIdentity", skipped.ErrorDetails.Message);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public void Test_returns_the_status_and_only_a_boolean_with_Quiet()
    {
        ScriptResult status = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready");
        status.AssertNoErrors();
        AksWorkloadIdentityStatus ready = status.Single<AksWorkloadIdentityStatus>();
        Assert.True(ready.IsReady && ready.OidcIssuerEnabled && ready.WorkloadIdentityEnabled);
        Assert.Equal(EmulatorDefaults.Location, ready.Location);
        Assert.Empty(ready.Problems);

        ScriptResult quiet = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-no-oidc -Quiet; Test-AksWorkloadIdentity rg-astronetes aks-ready -Quiet");
        Assert.Empty(quiet.Errors);
        Assert.Equal(new object?[] { false, true }, quiet.Output);
    }

    [Fact]
    public void Test_binds_resource_group_and_cluster_by_property_name()
    {
        ScriptResult result = shell.Run("""
            @"
            ResourceGroupName,ClusterName
            rg-astronetes,aks-ready
            rg-astronetes,aks-no-wi
            "@ | ConvertFrom-Csv | Test-AksWorkloadIdentity
            """);
        Assert.Equal(new[] { "aks-ready", "aks-no-wi" }, result.Output.Cast<AksWorkloadIdentityStatus>().Select(s => s.ClusterName));
        Assert.StartsWith("ClusterNotReady,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Missing_cluster_maps_to_ClusterNotFound_with_the_cluster_id()
    {
        ScriptResult result = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-missing");
        ErrorRecord error = result.SingleError("ClusterNotFound");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.EndsWith("managedClusters/aks-missing", Assert.IsType<string>(error.TargetObject), StringComparison.OrdinalIgnoreCase);

        Assert.Contains("-ResourceGroupName", error.ErrorDetails.RecommendedAction);
        Assert.Contains("-ClusterName", error.ErrorDetails.RecommendedAction);
        Assert.Contains("-SubscriptionId", error.ErrorDetails.RecommendedAction);
        Assert.Contains("az aks list -o table", error.ErrorDetails.RecommendedAction);

        ScriptResult group = shell.Run("Test-AksWorkloadIdentity rg-missing aks-ready");
        Assert.Equal(ErrorCategory.ObjectNotFound, group.SingleError("ResourceGroupNotFound").CategoryInfo.Category);
    }

    [Fact]
    public void Quiet_answers_false_without_an_error_for_a_missing_cluster_or_resource_group()
    {
        ScriptResult result = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-missing -Quiet; Test-AksWorkloadIdentity rg-missing aks-ready -Quiet");
        Assert.Empty(result.Errors);
        Assert.Equal(new object?[] { false, false }, result.Output);
    }

    [Theory]
    [InlineData("00000000-0000-4000-8000-000000000000")]
    [InlineData("No Such Role")]
    public void Unknown_role_by_GUID_or_name_is_RoleDefinitionNotFound(string role)
    {
        ScriptResult result = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name astronetes-azure-agent | New-AgentRoleAssignment -RoleDefinitionName '" + role + "'");
        ErrorRecord error = result.SingleError("RoleDefinitionNotFound");
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails.RecommendedAction));
    }

    [Fact]
    public void A_missing_resource_group_in_Scope_advises_checking_Scope()
    {
        ScriptResult result = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name astronetes-azure-agent | "
            + "New-AgentRoleAssignment -Scope /subscriptions/" + EmulatorDefaults.SubscriptionId + "/resourceGroups/rg-nope");
        ErrorRecord error = result.SingleError("ResourceGroupNotFound");
        Assert.Contains("-Scope", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("-ResourceGroupName", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("-SubscriptionId", error.ErrorDetails.RecommendedAction);
    }

    [Theory]
    [InlineData("reader")]
    [InlineData(EmulatorDefaults.ReaderRoleId)]
    public void The_role_is_reported_by_its_Azure_name(string typed)
    {
        ScriptResult result = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name astronetes-azure-agent | New-AgentRoleAssignment -RoleDefinitionName '" + typed + "'");
        result.AssertNoErrors();
        Assert.Equal("Reader", result.Single<AgentRoleAssignment>().RoleDefinitionName);
    }

    [Theory]
    [InlineData("New-AgentManagedIdentity -Name 'a' -ResourceGroupName rg-astronetes", "IdentityNameInvalid")]
    [InlineData("New-AgentManagedIdentity -Name 'bad name!' -ResourceGroupName rg-astronetes", "IdentityNameInvalid")]
    [InlineData("Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName '-bad-'", "ClusterNameInvalid")]
    [InlineData("Test-AksWorkloadIdentity -ResourceGroupName 'rg.' -ClusterName aks-ready", "ResourceGroupNameInvalid")]
    [InlineData("Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name ok-name -Location 'Mars'", "LocationInvalid")]
    public void Invalid_input_names_the_rule_before_any_ARM_request(string script, string errorId)
    {
        int before = emulator.ArmRequests().Count;
        ScriptResult result = shell.Run(script);

        ErrorRecord error = result.SingleError(errorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.EndsWith("is not valid.", error.ErrorDetails.Message);
        Assert.Contains(" must be ", error.ErrorDetails.RecommendedAction);
        // Even the cluster read before a wrong -Location is not sent: the whole line stops first.
        Assert.Equal(before, emulator.ArmRequests().Count);
        Assert.Equal(0, emulator.WriteCount());
    }

    [Fact]
    public void Invalid_agent_name_names_the_service_account_rule()
    {
        ScriptResult result = shell.Run(Chain.Replace("my-agent", "My_Agent"));
        ErrorRecord error = result.SingleError("ServiceAccountNameInvalid");
        Assert.Contains("DNS-1123", error.Exception.Message);
    }

    [Fact]
    public void Verbose_shows_each_ARM_call_and_never_a_secret_or_token()
    {
        ScriptResult result = shell.Run("$VerbosePreference = 'Continue'\n" + Chain);
        result.AssertNoErrors();
        Assert.Contains(result.Verbose, line => line.StartsWith("ARM GET /subscriptions/", StringComparison.Ordinal) && line.Contains("request ID"));
        Assert.Contains(result.Verbose, line => line.StartsWith("ARM PUT ", StringComparison.Ordinal) && line.Contains("userAssignedIdentities"));
        Assert.Contains(result.Verbose, line => line.Contains(": Created"));
        foreach (string line in result.Verbose.Concat(result.Warnings))
        {
            Assert.DoesNotContain(EmulatorDefaults.DeployerClientSecret, line);
            Assert.DoesNotContain("eyJ", line); // a JWT
            Assert.DoesNotContain("Bearer", line, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("access_token", line, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Configuration_converts_to_json()
    {
        ScriptResult result = shell.Run(Chain + " | ConvertTo-Json");
        result.AssertNoErrors();
        string json = Assert.IsType<string>(Assert.Single(result.Output));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("my-agent", document.RootElement.GetProperty("ServiceAccountName").GetString());
        Assert.Equal("Created", document.RootElement.GetProperty("FederatedCredentialAction").GetString());

        ScriptResult status = shell.Run("Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name astronetes-azure-agent | New-AgentRoleAssignment | ConvertTo-Json -Depth 5");
        status.AssertNoErrors();
        Assert.Contains("\"IssuerUrl\"", Assert.IsType<string>(Assert.Single(status.Output)));
    }

    [Fact]
    public void Credential_takes_the_identity_directly_when_there_is_no_role_step()
    {
        ScriptResult result = shell.Run("""
            Test-AksWorkloadIdentity rg-astronetes aks-ready |
              New-AgentManagedIdentity -Name astronetes-azure-agent |
              New-AgentFederatedCredential -AgentName my-agent -Namespace other-ns
            """);
        result.AssertNoErrors();
        AgentConfiguration configuration = result.Single<AgentConfiguration>();
        Assert.Null(configuration.RoleAssignmentId);
        Assert.Null(configuration.RoleAssignmentAction);
        Assert.Equal("system:serviceaccount:other-ns:my-agent", configuration.Subject);
        Assert.DoesNotContain(emulator.Server.Snapshot().RoleAssignments, a => a.PrincipalType == "ServicePrincipal" && a.RoleDefinitionName == EmulatorDefaults.ReaderRoleId);
    }

    [Fact]
    public void Output_types_have_a_table_view()
    {
        ScriptResult result = shell.Run("""
            (Get-FormatData -TypeName AstronetesWorkloadIdentity.AgentConfiguration, AstronetesWorkloadIdentity.AksWorkloadIdentityStatus,
              AstronetesWorkloadIdentity.AgentManagedIdentity, AstronetesWorkloadIdentity.AgentRoleAssignment, AstronetesWorkloadIdentity.AgentAzureContext).Count
            """);
        result.AssertNoErrors();
        Assert.Equal(5, Convert.ToInt32(Assert.Single(result.Output)));
    }
}
