using System.Text.Encodings.Web;
using System.Text.Json;

namespace ArmEmulator;

/// <summary>JSON writing as Azure does it: no escaping of quotes/apostrophes that real responses carry literally.</summary>
internal static class ArmJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
