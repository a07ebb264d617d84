using System;
using System.Collections.Generic;
using System.Text.Json;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Lenient readers over JsonElement: real ARM bodies are large and vary by api-version, so a missing
    /// or differently typed field reads as absent instead of failing the whole call.
    /// </summary>
    internal static class ArmJson
    {
        public static JsonElement? Property(JsonElement element, string name)
        {
            if (element.ValueKind != JsonValueKind.Object) return null;
            if (element.TryGetProperty(name, out var exact)) return exact;
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) return property.Value;
            }
            return null;
        }

        public static JsonElement? Path(JsonElement element, params string[] path)
        {
            JsonElement? current = element;
            foreach (var name in path)
            {
                if (current == null) return null;
                current = Property(current.Value, name);
            }
            return current;
        }

        public static string? String(JsonElement element, params string[] path)
        {
            var value = Path(element, path);
            return value?.ValueKind == JsonValueKind.String ? value.Value.GetString() : null;
        }

        /// <summary>True only for JSON true or the string "true"; anything missing is off.</summary>
        public static bool Bool(JsonElement element, params string[] path)
        {
            var value = Path(element, path);
            if (value == null) return false;
            if (value.Value.ValueKind == JsonValueKind.True) return true;
            return value.Value.ValueKind == JsonValueKind.String && string.Equals(value.Value.GetString(), "true", StringComparison.OrdinalIgnoreCase);
        }

        public static IReadOnlyDictionary<string, string> StringMap(JsonElement element, params string[] path)
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var value = Path(element, path);
            if (value?.ValueKind != JsonValueKind.Object) return map;
            foreach (var property in value.Value.EnumerateObject())
            {
                map[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : property.Value.GetRawText();
            }
            return map;
        }

        public static IReadOnlyList<string> StringList(JsonElement element, params string[] path)
        {
            var list = new List<string>();
            var value = Path(element, path);
            if (value?.ValueKind != JsonValueKind.Array) return list;
            foreach (var item in value.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String) list.Add(item.GetString() ?? "");
            }
            return list;
        }
    }
}
