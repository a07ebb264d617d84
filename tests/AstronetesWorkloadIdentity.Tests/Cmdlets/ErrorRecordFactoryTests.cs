using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Errors;

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
    [InlineData(503, "ServiceUnavailable", "Identity", "IdentityServiceUnavailable", ErrorCategory.ConnectionError)]
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
        Assert.Equal("InvalidIdentityName", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.Contains("3-128 characters", record.ErrorDetails.Message);
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
}
