using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>
/// Stage 1: records the request (without secrets) and stamps the ARM headers every response carries:
/// x-ms-request-id and x-ms-correlation-request-id (echoing the client's). The remaining-quota headers come from
/// <see cref="ArmThrottling"/>, on ARM answers only.
/// </summary>
internal static class RequestLoggingStage
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, EmulatorRuntime runtime)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        string? body = null;
        if (!TokenEndpoint.IsTokenRequest(path) && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, leaveOpen: true);
            body = await reader.ReadToEndAsync(context.RequestAborted);
            request.Body.Position = 0;
        }
        var clientRequestId = request.Headers["x-ms-client-request-id"].FirstOrDefault();
        var index = runtime.Log.Add(new RequestLogEntry
        {
            Time = runtime.Time.GetUtcNow(),
            Method = request.Method,
            Path = path,
            Query = request.QueryString.Value ?? "",
            ClientRequestId = clientRequestId,
            UserAgent = request.Headers.UserAgent.FirstOrDefault(),
            Body = body,
        });

        var requestId = Guid.NewGuid().ToString();
        var correlationId = request.Headers["x-ms-correlation-request-id"].FirstOrDefault() ?? requestId;
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            h["x-ms-request-id"] = requestId;
            h["x-ms-correlation-request-id"] = correlationId;
            if (clientRequestId is not null) h["x-ms-client-request-id"] = clientRequestId;
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.Items.TryGetValue(PipelineItems.LoggedStatus, out var s) && s is int i ? i : context.Response.StatusCode;
            runtime.Log.Complete(index, status, context.Items.TryGetValue(ArmErrors.ErrorCodeItem, out var c) ? c as string : null, runtime.Time.GetUtcNow());
        }
    }
}
