using System;
using System.Text.Json;
using Azure;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Reads ARM's error envelope <c>{"error":{"code","message"}}</c> (and the bare <c>{"code","message"}</c> some providers send).</summary>
    internal static class ArmErrorBody
    {
        public static void Read(Response response, out string code, out string message)
        {
            code = "HttpStatus" + response.Status;
            message = string.IsNullOrEmpty(response.ReasonPhrase)
                ? "ARM answered HTTP " + response.Status + " without an error body."
                : "ARM answered HTTP " + response.Status + " (" + response.ReasonPhrase + ") without an error body.";
            var content = TryGetContent(response);
            if (content == null || content.Value.Length == 0) return;
            try
            {
                using var doc = JsonDocument.Parse(content.Value);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return;
                var error = ArmJson.Property(doc.RootElement, "error");
                var source = error.HasValue && error.Value.ValueKind == JsonValueKind.Object ? error.Value : doc.RootElement;
                var parsedCode = ArmJson.String(source, "code");
                var parsedMessage = ArmJson.String(source, "message");
                if (!string.IsNullOrEmpty(parsedCode)) code = parsedCode!;
                if (!string.IsNullOrEmpty(parsedMessage)) message = parsedMessage!;
            }
            catch (JsonException)
            {
                // A proxy or gateway page rather than ARM: keep the HTTP status as the code.
            }
        }

        public static string? TryReadCode(Response response)
        {
            if (response.Status < 400) return null;
            Read(response, out var code, out _);
            return code;
        }

        private static ReadOnlyMemory<byte>? TryGetContent(Response response)
        {
            try
            {
                return response.Content.ToMemory();
            }
            catch (InvalidOperationException)
            {
                return null; // not buffered (streamed response)
            }
        }
    }
}
