using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>
/// The ARM half of the pipeline: route resolution → api-version → authentication → authorization + handler.
/// (Non-ARM endpoints - token, discovery documents - are answered before these stages.)
/// </summary>
internal static class ArmStages
{
    /// <summary>Stage 3: api-version, checked against the one table in <see cref="ApiVersions"/> (or the state's apiVersions for a lagging cloud).</summary>
    public static async Task ApiVersionAsync(HttpContext context, RequestDelegate next, EmulatorRuntime runtime)
    {
        var route = ArmRouter.Resolve(context.Request.Method, context.Request.Path.Value ?? "/");
        var version = context.Request.Query["api-version"].FirstOrDefault();
        try
        {
            if (string.IsNullOrEmpty(version)) throw ArmErrors.MissingApiVersion();
            if (route is null) throw ArmErrors.InvalidResourceType(context.Request.Path.Value ?? "/");
            var supported = runtime.Store.Read(state => ApiVersions.For(route.ResourceType, state));
            if (!supported.Contains(version, StringComparer.OrdinalIgnoreCase))
            {
                if (route.ResourceType.StartsWith("Microsoft.Resources/", StringComparison.OrdinalIgnoreCase))
                    throw ArmErrors.InvalidApiVersion(version, supported);
                var location = route.ResourceGroup is null ? "global"
                    : runtime.Store.Read(_ => runtime.Store.ResourceGroup(route.SubscriptionId!, route.ResourceGroup)?.Location) ?? "global";
                var type = route.ResourceType[(route.ResourceType.IndexOf('/') + 1)..];
                throw ArmErrors.NoRegisteredProvider(location, version, type, supported, ApiVersions.Locations);
            }
        }
        catch (ArmException e)
        {
            await ArmErrors.WriteAsync(context, e.Status, e.Code, e.Message);
            return;
        }
        context.Items[PipelineItems.Route] = route;
        await next(context);
    }

    /// <summary>
    /// Stage 4: bearer token. 401 AuthenticationFailed / ExpiredAuthenticationToken / InvalidAuthenticationTokenAudience with a
    /// well-formed WWW-Authenticate header (Azure.Core's bearer policy parses it for CAE challenges).
    /// </summary>
    public static async Task AuthenticationAsync(HttpContext context, RequestDelegate next, EmulatorRuntime runtime)
    {
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        string? failure = null, code = "AuthenticationFailed", message = null;
        TokenClaims? claims = null;
        if (string.IsNullOrEmpty(header))
        {
            message = "Authentication failed. The 'Authorization' header is missing.";
            failure = "The authentication failed because of missing 'Authorization' header.";
        }
        else if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            message = "Authentication failed. The 'Authorization' header is provided in an invalid format.";
            failure = "The authentication failed because of an invalid 'Authorization' header format.";
        }
        else
        {
            var token = header[7..].Trim();
            switch (runtime.Tokens.Validate(token, out claims))
            {
                case TokenValidationError.None:
                    break;
                case TokenValidationError.Expired:
                    // ARM's own code for an expired token (clients such as the Azure JS ARM client test for it to refresh).
                    code = "ExpiredAuthenticationToken";
                    message = $"The access token expiry UTC time '{claims!.Expires.UtcDateTime:M/d/yyyy h:mm:ss tt}' is earlier than current UTC time '{runtime.Time.GetUtcNow().UtcDateTime:M/d/yyyy h:mm:ss tt}'.";
                    failure = "The access token has expired.";
                    break;
                default:
                    // A bearer token ARM cannot validate (garbage, bad signature): 401 InvalidAuthenticationToken
                    // "The access token is invalid." - e.g. Az.Accounts 5 sending "System.Security.SecureString" as the token
                    // (public reports quote exactly this body). A missing header or another scheme is AuthenticationFailed.
                    code = "InvalidAuthenticationToken";
                    message = "The access token is invalid.";
                    failure = "The access token is invalid.";
                    break;
            }
            if (failure is null && claims is not null && !IsAcceptedAudience(claims.Audience, runtime.BaseUri))
            {
                code = "InvalidAuthenticationTokenAudience";
                message = $"The access token has been obtained for wrong audience or resource '{claims.Audience}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.";
                failure = "The access token has been obtained for wrong audience or resource.";
            }
        }
        if (failure is not null)
        {
            context.Response.Headers.WWWAuthenticate =
                $"Bearer authorization_uri=\"{runtime.Authority}\", error=\"invalid_token\", error_description=\"{failure}\"";
            await ArmErrors.WriteAsync(context, 401, code, message!);
            return;
        }
        context.Items[PipelineItems.Caller] = claims;
        await next(context);
    }

    private static ArmResponse Handle(ArmCall call, EmulatorRuntime runtime)
    {
        lock (runtime.Store.Gate)
        {
            Authorize(call.Route, call.Caller, runtime);
            return call.Route.Handler(call);
        }
    }

    /// <summary>Subscription existence and RBAC. Caller holds the state lock.</summary>
    private static void Authorize(ArmRoute route, TokenClaims caller, EmulatorRuntime runtime)
    {
        if (route.SubscriptionId is not null && runtime.Store.Subscription(route.SubscriptionId) is null)
            throw ArmErrors.SubscriptionNotFound(route.SubscriptionId);
        if (route.Action is not null && !PermissionEvaluator.IsAllowed(runtime.Store.Current, caller.ObjectId, route.Action, route.AuthScope, runtime.Time.GetUtcNow()))
            throw ArmErrors.AuthorizationFailed(caller.AppId, caller.ObjectId, route.Action, route.AuthScope);
    }

    public static bool IsAcceptedAudience(string audience, Uri baseUri)
    {
        var a = audience.TrimEnd('/');
        return a.Equals("https://management.azure.com", StringComparison.OrdinalIgnoreCase)
            || a.Equals("https://management.core.windows.net", StringComparison.OrdinalIgnoreCase)
            || a.Equals(baseUri.ToString().TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Stage 5: subscription existence, RBAC, then the route handler - all under the state lock. A serialised write
    /// (<see cref="ArmRoute.Serialized"/>) first takes its key's slot and spends its processing time, lock-free.
    /// </summary>
    public static async Task DispatchAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var route = (ArmRoute)context.Items[PipelineItems.Route]!;
        var caller = (TokenClaims)context.Items[PipelineItems.Caller]!;
        ArmResponse response;
        try
        {
            JsonNode? body = null;
            if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                try { body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted); }
                catch (JsonException e) { throw ArmErrors.InvalidRequestContent(e.Message); }
            }
            var call = new ArmCall { Context = context, Runtime = runtime, Route = route, Caller = caller, Body = body };
            if (route.Serialized is { } serialized)
            {
                // ARM's front door rejects (404 subscription, 403) before the resource provider sees the write: no slot taken.
                lock (runtime.Store.Gate) Authorize(route, caller, runtime);
                using var slot = runtime.InFlightWrites.TryEnter(serialized.Key) ?? throw serialized.Conflict();
                // The processing time is spent outside the state lock so everything else keeps running meanwhile.
                await Task.Delay(serialized.Latency(runtime.Options), context.RequestAborted);
                response = Handle(call, runtime);
                // The slot is released here, before the answer is written: a client that got it may write again at once.
            }
            else
            {
                response = Handle(call, runtime);
            }
        }
        catch (ArmException e)
        {
            foreach (var (name, value) in e.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
            await ArmErrors.WriteAsync(context, e.Status, e.Code, e.Message);
            return;
        }
        context.Response.StatusCode = response.Status;
        if (response.Body is not null) context.Response.ContentType = "application/json; charset=utf-8";
        // A handler's headers come last: they may say Content-Type otherwise (AKS writes no charset).
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        if (response.Body is not null)
        {
            await context.Response.WriteAsync(response.Body.ToJsonString(ArmJson.Options));
        }
        else
        {
            context.Response.ContentLength = 0;
        }
    }
}
