using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>An ARM error answer: status + <c>{"error":{"code","message"}}</c>.</summary>
internal sealed class ArmException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    /// <summary>Headers the error answer carries (e.g. Retry-After on a 429).</summary>
    public Dictionary<string, string>? Headers { get; init; }
}

/// <summary>
/// ARM error codes and their real message forms. Sources are noted per entry; "unconfirmed" means the
/// code was not found in public material and a plausible one is used.
/// </summary>
internal static class ArmErrors
{
    public const string ErrorCodeItem = "ArmEmulator.ErrorCode";

    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Items[ErrorCodeItem] = code;
        // Recorded: a missing resource is answered by ARM's gateway, which says so.
        if (code == "ResourceNotFound") context.Response.Headers["x-ms-failure-cause"] = "gateway";
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
        await context.Response.WriteAsync(body.ToJsonString(ArmJson.Options));
    }

    // ARM front door; message from docs/design/arm-contract.md.
    public static ArmException MissingApiVersion() => new(400, "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.");

    public static ArmException NoRegisteredProvider(string location, string version, string type, IEnumerable<string> supported, IEnumerable<string> locations) =>
        new(400, "NoRegisteredProviderFound",
            $"No registered resource provider found for location '{location}' and API version '{version}' for type '{type}'. " +
            $"The supported api-versions are '{string.Join(", ", supported)}'. The supported locations are '{string.Join(", ", locations)}'.");

    // Microsoft.Resources types are served by ARM itself, which answers an unknown version with InvalidApiVersionParameter
    // ("The api-version '...' is invalid. The supported versions are '...'.") rather than NoRegisteredProviderFound.
    public static ArmException InvalidApiVersion(string version, IEnumerable<string> supported) => new(400, "InvalidApiVersionParameter",
        $"The api-version '{version}' is invalid. The supported versions are '{string.Join(",", supported.Reverse())}'. Please use one of the supported api-versions.");

    public static ArmException SubscriptionNotFound(string sub) => new(404, "SubscriptionNotFound",
        $"The subscription '{sub}' could not be found.");

    public static ArmException ResourceGroupNotFound(string rg) => new(404, "ResourceGroupNotFound",
        $"Resource group '{rg}' could not be found.");

    // Message form as ARM writes it (docs/design/arm-contract.md; learn.microsoft.com "Resolve resource not found errors").
    public static ArmException ResourceNotFound(string type, string name, string rg) => new(404, "ResourceNotFound",
        $"The Resource '{type}/{name}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    public static ArmException InvalidResourceType(string path) => new(404, "InvalidResourceType",
        $"The resource type could not be found for the request path '{path}'.");

    public static ArmException InvalidRequestContent(string detail) => new(400, "InvalidRequestContent",
        $"The request content was invalid and could not be deserialized: '{detail}'.");

    // ARM template/front-door message for a tracked resource without location.
    public static ArmException LocationRequired() => new(400, "LocationRequired",
        "The location property is required for this definition.");

    public static ArmException AuthorizationFailed(string appId, string objectId, string action, string scope) => new(403, "AuthorizationFailed",
        $"The client '{appId}' with object id '{objectId}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.");

    // docs/design/arm-contract.md; public reports (azure-cli/capz, Terraform, Bicep) quote the id fully lower-cased.
    public static ArmException ConcurrentFederatedCredentialWrites(string identityId) => new(409, "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
        $"Too many Federated Identity Credentials are written concurrently for the managed identity '{identityId.ToLowerInvariant()}'. " +
        "Concurrent Federated Identity Credentials writes under the same managed identity are not supported.");

    // AKS, quoted in public reports (e.g. Azure/terraform-azurerm-avm-ptn-aks-production#25) with this exact text.
    public static ArmException OperationNotAllowed(string runningVerb) => new(409, "OperationNotAllowed",
        $"Operation is not allowed: Another operation ({runningVerb}) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details");

    public static ArmException MethodNotAllowed(string method) => new(405, "MethodNotAllowed",
        $"The requested resource does not support http method '{method}'.");
}
