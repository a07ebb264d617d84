using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>
/// Stage 2: injected faults (POST /_emulator/faults), checked after logging and before any normal handling.
/// Future throttling (token buckets) plugs in right after this stage.
/// </summary>
internal static class FaultInjectionStage
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, EmulatorRuntime runtime)
    {
        var rule = runtime.Faults.Match(context.Request.Method, context.Request.Path.Value ?? "/");
        if (rule is not null)
        {
            if (rule.DelayMs > 0) await Task.Delay(rule.DelayMs, context.RequestAborted);
            if (rule.AfterHandling && (rule.Drop || rule.Status is not null))
            {
                // Handle the request for real, keep its answer from the client, then drop or replace it.
                var original = context.Response.Body;
                context.Response.Body = new MemoryStream();
                await next(context);
                context.Response.Body = original;
                context.Response.Headers.Clear();
                if (!rule.Drop) context.Response.StatusCode = 200;
            }
            if (rule.Drop)
            {
                context.Items[PipelineItems.LoggedStatus] = 0;
                context.Items[ArmErrors.ErrorCodeItem] = rule.Code ?? "ConnectionDropped";
                context.Abort();
                return;
            }
            if (rule.Status is int status)
            {
                if (rule.Headers is not null)
                    foreach (var (k, v) in rule.Headers) context.Response.Headers[k] = v;
                var code = rule.Code ?? DefaultCode(status);
                await ArmErrors.WriteAsync(context, status, code, rule.Message ?? DefaultMessage(code, runtime));
                return;
            }
            if (rule.Headers is not null)
                context.Response.OnStarting(() =>
                {
                    foreach (var (k, v) in rule.Headers) context.Response.Headers[k] = v;
                    return Task.CompletedTask;
                });
        }
        await next(context);
    }

    /// <summary>The real message where clients match on it (PrincipalNotFound: "does not exist in the directory"), else a plain one.</summary>
    private static string DefaultMessage(string code, EmulatorRuntime runtime) => code switch
    {
        "PrincipalNotFound" => $"Principal does not exist in the directory {runtime.Store.Read(s => s.TenantId)}. Check that you have the correct principal ID. " +
            "If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. " +
            "In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype",
        "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity" =>
            "Too many Federated Identity Credentials are written concurrently for the managed identity. Concurrent Federated Identity Credentials writes under the same managed identity are not supported.",
        _ => "The request failed because of a fault injected by the ARM emulator.",
    };

    private static string DefaultCode(int status) => status switch
    {
        429 => "SubscriptionRequestsThrottled",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        409 => "Conflict",
        _ => "InjectedFault",
    };
}
