using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArmEmulator;

/// <summary>
/// .../userAssignedIdentities/{name}/federatedIdentityCredentials[/{ficName}].
/// Messages from learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations ("Errors" table,
/// MicrosoftDocs/entra-docs); that table gives status + message but not the error codes: the codes used here
/// ("BadRequest", "NotFound") are unconfirmed.
/// </summary>
internal static partial class FederatedCredentialRoutes
{
    public const string Type = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials";
    public const int MaxPerIdentity = Limits.FederatedCredentialsPerIdentity;
    public const int MaxLength = 600;

    [GeneratedRegex("^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$")]
    private static partial Regex NamePattern();

    public static ArmRoute List(string method, string[] s, string sub, string rg, string identity) => method != "GET" ? ArmRouter.NotAllowed(method, s, ApiVersions.FederatedCredentials) : new()
    {
        ResourceType = ApiVersions.FederatedCredentials,
        Segments = s,
        SubscriptionId = sub,
        ResourceGroup = rg,
        Action = Type + "/read",
        AuthScope = $"/subscriptions/{sub}/resourceGroups/{rg}/providers/{IdentityRoutes.Type}/{identity}",
        Handler = call =>
        {
            var parent = Parent(call, sub, rg, identity);
            return new ArmResponse(200, Paging.Page(call, parent.FederatedIdentityCredentials.Select(f => (JsonNode)Json(parent, f)).ToList(), honourTop: true));
        },
    };

    public static ArmRoute Item(string method, string[] s, string sub, string rg, string identity, string name)
    {
        var identityId = $"/subscriptions/{sub}/resourceGroups/{rg}/providers/{IdentityRoutes.Type}/{identity}";
        var id = $"{identityId}/federatedIdentityCredentials/{name}";
        // Real ARM processes FIC writes one at a time per identity and answers a concurrent one 409 (docs/design/arm-contract.md).
        var serialized = new SerializedWrite(identityId.ToLowerInvariant(), o => o.FederatedCredentialWriteLatency,
            () => ArmErrors.ConcurrentFederatedCredentialWrites(identityId));
        ArmRoute R(string verb, Func<ArmCall, ArmResponse> h) => new()
        {
            ResourceType = ApiVersions.FederatedCredentials, Segments = s, SubscriptionId = sub, ResourceGroup = rg,
            Action = $"{Type}/{verb}", AuthScope = id, Handler = h, Serialized = verb == "read" ? null : serialized,
        };
        return method switch
        {
            "GET" => R("read", call =>
            {
                var parent = Parent(call, sub, rg, identity);
                var fic = Find(parent, name) ?? throw ArmErrors.ResourceNotFound(Type, $"{identity}/{name}", rg);
                return new ArmResponse(200, Json(parent, fic));
            }),
            "PUT" => R("write", call => Put(call, Parent(call, sub, rg, identity), name)),
            "DELETE" => R("delete", call =>
            {
                var parent = Parent(call, sub, rg, identity);
                var fic = Find(parent, name);
                if (fic is null) return new ArmResponse(204, null);
                parent.FederatedIdentityCredentials.Remove(fic);
                return new ArmResponse(200, null);
            }),
            _ => ArmRouter.NotAllowed(method, s, ApiVersions.FederatedCredentials),
        };
    }

    private static IdentityState Parent(ArmCall call, string sub, string rg, string identity)
    {
        call.RequireResourceGroup();
        return call.Store.Identity(sub, rg, identity)
            ?? throw new ArmException(404, "NotFound", "The parent user-assigned identity doesn't exist.");
    }

    private static FederatedCredentialState? Find(IdentityState parent, string name) =>
        parent.FederatedIdentityCredentials.FirstOrDefault(f => StateStore.Eq(f.Name, name));

    private static ArmException Bad(string message) => new(400, "BadRequest", message);

    private static ArmResponse Put(ArmCall call, IdentityState parent, string name)
    {
        if (!NamePattern().IsMatch(name)) throw Bad($"Federated Identity Credential name '{name}' is invalid.");
        if (call.Body is not JsonObject body || body["properties"] is not JsonObject props || props.Count == 0)
            throw Bad("Federated Identity Credential from HTTP body has empty properties");
        var issuer = Str(props["issuer"]);
        var subject = Str(props["subject"]);
        if (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(subject) || props["audiences"] is not JsonArray audArray)
            throw Bad("Federated Identity Credential from HTTP body has empty properties");
        var audiences = audArray.Select(Str).ToList();
        if (audiences.Count != 1 || string.IsNullOrEmpty(audiences[0]))
            throw Bad("Federated identity credentials must have exactly one audience.");
        // Unconfirmed message forms for the next three rules (the limits themselves are documented).
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri) || issuerUri.Scheme != Uri.UriSchemeHttps)
            throw Bad($"Federated Identity Credential issuer '{issuer}' is invalid. The issuer must be a valid absolute URL with the https scheme.");
        foreach (var (field, value) in new[] { ("issuer", issuer), ("subject", subject), ("audience", audiences[0]!) })
            if (value.Length > MaxLength)
                throw Bad($"Federated Identity Credential {field} is too long. The maximum length is {MaxLength} characters.");

        var existing = Find(parent, name);
        // Matching is exact and case-sensitive (docs/design/arm-contract.md).
        if (parent.FederatedIdentityCredentials.Any(f => !ReferenceEquals(f, existing) && f.Issuer == issuer && f.Subject == subject))
            throw Bad("Issuer and subject combination already exists for this Managed Identity.");
        if (existing is null && parent.FederatedIdentityCredentials.Count >= MaxPerIdentity)
            throw Bad($"The number of Federated Identity Credentials for this Managed Identity has reached the limit of {MaxPerIdentity}.");

        if (existing is not null)
        {
            existing.Issuer = issuer; existing.Subject = subject; existing.Audiences = audiences!;
            existing.EffectiveAt = call.Now + call.Runtime.Clock.Real(call.Runtime.Options.FederatedCredentialPropagationDelay);
            return new ArmResponse(200, Json(parent, existing));
        }
        // Entra ID honours a new credential only after it propagates (azwi FAQ: seconds, failures "for a couple of minutes").
        var fic = new FederatedCredentialState
        {
            Name = name, Issuer = issuer, Subject = subject, Audiences = audiences!,
            EffectiveAt = call.Now + call.Runtime.Clock.Real(call.Runtime.Options.FederatedCredentialPropagationDelay),
        };
        parent.FederatedIdentityCredentials.Add(fic);
        // Recorded (azure-cli and Az.ManagedServiceIdentity): 201 with a relative Location; the same PUT again is 200 without one.
        return new ArmResponse(201, Json(parent, fic), new Dictionary<string, string> { ["Location"] = Id(parent, fic) });
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Id(IdentityState parent, FederatedCredentialState f) => $"{IdentityRoutes.Id(parent)}/federatedIdentityCredentials/{f.Name}";

    public static JsonObject Json(IdentityState parent, FederatedCredentialState f) => new()
    {
        ["id"] = Id(parent, f),
        ["name"] = f.Name,
        ["type"] = Type,
        ["properties"] = new JsonObject
        {
            ["issuer"] = f.Issuer,
            ["subject"] = f.Subject,
            ["audiences"] = new JsonArray(f.Audiences.Select(a => (JsonNode)a).ToArray()),
        },
    };
}
