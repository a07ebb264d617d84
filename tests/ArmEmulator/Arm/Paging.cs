using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ArmEmulator;

/// <summary>ARM list pages: <c>{"value":[...],"nextLink":"https://.../same/path?...&amp;$skiptoken=N"}</c> (absolute URL to the emulator).</summary>
internal static class Paging
{
    public static JsonObject Page(ArmCall call, IReadOnlyList<JsonNode> items, bool honourTop = false)
    {
        var pageSize = Math.Max(1, call.Runtime.Options.ListPageSize);
        if (honourTop && int.TryParse(call.Query("$top"), out var top) && top > 0) pageSize = top;
        var skip = 0;
        var token = call.Query("$skiptoken");
        if (token is not null && (!int.TryParse(token, out skip) || skip < 0))
            throw new ArmException(400, "InvalidSkipToken", $"The skip token '{token}' is invalid.");
        var page = new JsonArray(items.Skip(skip).Take(pageSize).Select(n => n.DeepClone()).ToArray());
        var result = new JsonObject { ["value"] = page };
        if (skip + pageSize < items.Count)
            result["nextLink"] = NextLink(call.Context, call.Runtime.BaseUri, skip + pageSize);
        return result;
    }

    private static string NextLink(HttpContext context, Uri baseUri, int next)
    {
        var pairs = context.Request.Query
            .Where(q => !q.Key.Equals("$skiptoken", StringComparison.OrdinalIgnoreCase))
            .Select(q => (q.Key.StartsWith('$') ? "$" + Uri.EscapeDataString(q.Key[1..]) : Uri.EscapeDataString(q.Key)) + "=" + Uri.EscapeDataString(q.Value.ToString()))
            .Append("$skiptoken=" + next);
        return baseUri.GetLeftPart(UriPartial.Authority) + context.Request.Path.Value + "?" + string.Join("&", pairs);
    }
}
