using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

public sealed class ErrorRecordFactoryTests
{
    [Theory]
    [InlineData(403, "AuthorizationFailed", "RoleAssignment", "RoleAssignmentAuthorizationFailed", ErrorCategory.PermissionDenied)]
    [InlineData(404, "ResourceNotFound", "Cluster", "ClusterNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData(404, "ResourceGroupNotFound", "Cluster", "ResourceGroupNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData(401, "InvalidAuthenticationTokenAudience", "Identity", "AzureAuthenticationFailed", ErrorCategory.AuthenticationError)]
    [InlineData(409, "RoleAssignmentExists", "RoleAssignment", "RoleAssignmentExists", ErrorCategory.ResourceExists)]
    [InlineData(409, "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity", "FederatedCredential", "FederatedCredentialConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity", ErrorCategory.ResourceBusy)]
    [InlineData(400, "PrincipalNotFound", "RoleAssignment", "PrincipalNotFound", ErrorCategory.InvalidArgument)]
    [InlineData(429, "SubscriptionRequestsThrottled", "Identity", "IdentitySubscriptionRequestsThrottled", ErrorCategory.LimitsExceeded)]
    [InlineData(503, "ServiceUnavailable", "Identity", "IdentityServiceUnavailable", ErrorCategory.ResourceUnavailable)]
    [InlineData(0, "NetworkError", "Cluster", "ClusterNetworkError", ErrorCategory.ConnectionError)]
    public void Arm_errors_get_a_PascalCase_id_and_a_fitting_category(int status, string code, string noun, string errorId, ErrorCategory category)
    {
        var exception = new ArmException(status, code, "message from ARM", "req-1", "/subscriptions/x/resource");
        ErrorRecord record = ErrorRecordFactory.FromArm(exception, noun, "Doing it", "/fallback", "The identity is kept.");

        Assert.Equal(errorId, record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Equal("/subscriptions/x/resource", record.TargetObject);
        Assert.Contains("message from ARM", record.ErrorDetails.Message);
        Assert.Contains("req-1", record.ErrorDetails.Message);
        Assert.Contains(code, record.ErrorDetails.Message);
        Assert.EndsWith("The identity is kept.", record.ErrorDetails.Message);
        Assert.Same(exception, record.Exception.InnerException);
    }

    [Fact]
    public void Validation_errors_name_the_rule()
    {
        var exception = Assert.Throws<InputValidationException>(() => InputValidator.IdentityName("x", "Name"));
        ErrorRecord record = ErrorRecordFactory.FromValidation(exception, "IdentityName");
        Assert.Equal("IdentityNameInvalid", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.Equal("Name 'x' is not valid.", record.ErrorDetails.Message);
        Assert.StartsWith("-Name must be 3-128 characters", record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void A_missing_value_is_asked_for_without_repeating_why()
    {
        var exception = Assert.Throws<InputValidationException>(() => ArmConnection.Create(new ArmConnectionOptions
        {
            Cloud = AzureCloudEnvironment.FromName("AzureCloud"),
            TenantId = "00000000-0000-0000-0000-000000000002",
            CredentialKind = CredentialKind.ClientSecret,
            ClientId = "00000000-0000-0000-0000-000000000003",
        }));
        ErrorRecord record = ErrorRecordFactory.FromValidation(exception, parameterName: "Credential");

        Assert.Equal("Pass -Credential.", record.ErrorDetails.RecommendedAction);
        Assert.Contains("is required", record.ErrorDetails.Message);
        ErrorAdvice.AssertNotRepeated(record);
    }

    [Theory]
    [InlineData("Name 'x' is not valid: 3-128 characters, letters, digits, '-' and '_'.", "-Name must be 3-128 characters, letters, digits, '-' and '_'.", true)]
    [InlineData("Reading cluster failed: Pass the thumbprint of this endpoint's real certificate.", "Pass the thumbprint of this endpoint's real certificate.", true)]
    [InlineData("Name 'x' is not valid.", "-Name must be 3-128 characters, letters, digits, '-' and '_'.", false)]
    [InlineData("Creating /subscriptions/a/resourceGroups/rg/providers/X/y/z failed: Conflict.", "Remove /subscriptions/a/resourceGroups/rg/providers/X/y/z first.", false)]
    public void The_repetition_check_finds_advice_stated_in_the_message(string message, string advice, bool repeated)
    {
        Assert.Equal(repeated, ErrorAdvice.Repetition(message, advice) != null);
    }

    [Theory]
    [InlineData("ClusterNotReady", ErrorCategory.NotEnabled)]
    [InlineData("FederatedCredentialLimitReached", ErrorCategory.LimitsExceeded)]
    [InlineData("FederatedCredentialConflict", ErrorCategory.ResourceExists)]
    [InlineData("RoleDefinitionNotFound", ErrorCategory.ObjectNotFound)]
    public void Preconditions_keep_their_code_and_recommended_action(string code, ErrorCategory category)
    {
        var exception = new SetupPreconditionException(code, "Stopped before writing.", "/subscriptions/x/id", "Do this first.");
        ErrorRecord record = ErrorRecordFactory.FromPrecondition(exception, "/fallback", "The identity is kept.");
        Assert.Equal(code, record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Equal("/subscriptions/x/id", record.TargetObject);
        Assert.Equal("Do this first.", record.ErrorDetails.RecommendedAction);
        Assert.Equal("Stopped before writing. The identity is kept.", record.ErrorDetails.Message);
    }

    [Theory]
    [InlineData(500, "InternalServerError", ErrorCategory.ResourceUnavailable)]
    [InlineData(503, "ServiceUnavailable", ErrorCategory.ResourceUnavailable)]
    [InlineData(429, "SubscriptionRequestsThrottled", ErrorCategory.LimitsExceeded)]
    public void Arm_failing_after_retries_says_try_later_and_quotes_the_request_id(int status, string code, ErrorCategory category)
    {
        var exception = new ArmException(status, code, "Too many", "req-42", "/subscriptions/x/resource");
        ErrorRecord record = ErrorRecordFactory.FromArm(exception, "Identity", "Creating managed identity 'a'", "/fallback");

        Assert.Equal(category, record.CategoryInfo.Category);
        string advice = record.ErrorDetails.RecommendedAction;
        Assert.Contains("after the module's retries", advice);
        Assert.Contains("Try again later", advice);
        Assert.Contains("req-42", advice);
        Assert.DoesNotContain("network", advice, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Arm_message_without_a_full_stop_is_not_glued_to_the_resource()
    {
        var exception = new ArmException(429, "SubscriptionRequestsThrottled", "Too many", "req-1", "/subscriptions/x/resource");
        ErrorRecord record = ErrorRecordFactory.FromArm(exception, "Identity", "Doing it", null);
        Assert.Contains("Too many. Resource: /subscriptions/x/resource.", record.ErrorDetails.Message);
        Assert.DoesNotContain("Too many Resource", record.ErrorDetails.Message);
        Assert.Contains("Request ID: req-1.", record.ErrorDetails.Message);
    }

    [Fact]
    public void ArmOperationException_carries_code_status_and_request_id_for_catch_blocks()
    {
        var exception = new ArmException(403, "AuthorizationFailed", "No.", "req-7", "/subscriptions/x");
        ErrorRecord record = ErrorRecordFactory.FromArm(exception, "RoleAssignment", "Assigning", null);
        var thrown = Assert.IsType<ArmOperationException>(record.Exception);
        Assert.Equal("AuthorizationFailed", thrown.ErrorCode);
        Assert.Equal(403, thrown.StatusCode);
        Assert.Equal("req-7", thrown.RequestId);
        Assert.Same(exception, thrown.InnerException);
        Assert.All(typeof(ArmOperationException).GetProperties(), p => Assert.DoesNotContain("Azure", p.PropertyType.Namespace ?? ""));
    }

    [Fact]
    public void Unknown_role_GUID_is_RoleDefinitionNotFound_like_an_unknown_role_name()
    {
        var exception = new ArmException(400, "RoleDefinitionDoesNotExist", "The specified role definition with ID 'x' does not exist.", "req-1", "/subscriptions/x");
        ErrorRecord record = ErrorRecordFactory.FromArm(exception, "RoleAssignment", "Assigning role", null);
        Assert.Equal("RoleDefinitionNotFound", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
        Assert.Contains("-RoleDefinitionName", record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Missing_resource_group_advice_names_the_failing_cmdlets_parameters()
    {
        var exception = new ArmException(404, "ResourceGroupNotFound", "Resource group 'rg-nope' could not be found.", "req-1", null);
        ErrorRecord defaults = ErrorRecordFactory.FromArm(exception, "Identity", "Creating", null);
        Assert.Contains("-ResourceGroupName", defaults.ErrorDetails.RecommendedAction);

        ErrorRecord scoped = ErrorRecordFactory.FromArm(exception, "RoleAssignment", "Assigning", null, resourceGroupFrom: "-Scope", subscriptionFrom: "-Scope");
        Assert.Contains("-Scope", scoped.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("-ResourceGroupName", scoped.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("-SubscriptionId", scoped.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Engine_validation_during_a_step_uses_the_same_id_scheme_as_the_cmdlets()
    {
        var exception = Assert.Throws<InputValidationException>(() => InputValidator.SubscriptionId("nope"));
        Assert.Equal("SubscriptionIdInvalid", ErrorRecordFactory.FromValidation(exception).FullyQualifiedErrorId);
        Assert.Equal("SubscriptionIdInvalid", ErrorRecordFactory.FromValidation(exception, "SubscriptionId").FullyQualifiedErrorId);
    }

    [Fact]
    public void Untrusted_server_certificate_is_a_SecurityError_with_the_engines_advice()
    {
        var exception = new ArmException(0, "ServerCertificateUntrusted",
            "The server certificate of https://127.0.0.1:1/ is not trusted, so no request was sent. The pinned thumbprint (-TrustedCertificateThumbprint) is AAAA, which does not match."
            + " Pass the thumbprint of this endpoint's real certificate with -TrustedCertificateThumbprint, after checking it with the endpoint's owner. Certificate validation is never switched off.",
            null, "/subscriptions/x");
        ErrorRecord record = ErrorRecordFactory.FromArm(exception, "Cluster", "Reading cluster 'a'", null);
        Assert.Equal("ServerCertificateUntrusted", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, record.CategoryInfo.Category);
        Assert.StartsWith("Pass the thumbprint of this endpoint's real certificate with -TrustedCertificateThumbprint", record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Unavailable_sign_in_authority_is_not_advised_as_a_sign_in_problem()
    {
        var exception = new ArmException(0, "AuthorityUnavailable", "The sign-in authority https://login/ was unavailable (HTTP 503).", null, "/subscriptions/x");
        ErrorRecord record = ErrorRecordFactory.FromArm(exception, "Cluster", "Reading cluster 'a'", null);
        Assert.Equal("AuthorityUnavailable", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, record.CategoryInfo.Category);
        Assert.Contains("Try again later", record.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("Connect-AgentAzure", record.ErrorDetails.RecommendedAction);
    }
}
