using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ArmEmulator.Tests.Fidelity;

/// <summary>An emulator on a clock that moves only when a fact says so (operations, replication).</summary>
public sealed class FidelityFixture : EmulatorFixture
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    public EmulatorOptions Used { get; } = new();
    protected override EmulatorOptions Options
    {
        get
        {
            Used.Clock = new EmulatorClock { Time = Time };
            return Used;
        }
    }
}

/// <summary>
/// The emulator against real ARM: every row of facts.yaml (derived from ../shared/fixtures/real-arm/, one row or more
/// per recorded interaction) is replayed on a fresh state, and the answer is compared with what Azure answered.
/// </summary>
public sealed partial class FidelityTests(FidelityFixture fixture) : EmulatorTestBase(fixture), IClassFixture<FidelityFixture>
{
    private static readonly string FactsFile = Path.Combine(AppContext.BaseDirectory, "Fidelity", "facts.yaml");
    private static readonly Lazy<IReadOnlyList<ArmFact>> All = new(() => ArmFact.Load(FactsFile));

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var fact in All.Value) data.Add(fact.Id);
        return data;
    }

    /// <summary>Every file of the recordings folder (as INDEX.md lists them) is the source of at least one row.</summary>
    public static readonly string[] RecordedFiles =
    [
        "azure-cli/identity/test_federated_identity_credential.yaml",
        "azure-cli/identity/test_identity_management.yaml",
        "azure-powershell/New-AzFederatedIdentityCredential.Recording.json",
        "azure-powershell/Remove-AzFederatedIdentityCredential.Recording.json",
        "azure-cli/role/test_role_assignment_no_graph.excerpt.yaml",
        "azure-cli/role/test_create_for_rbac_idempotent.2021.excerpt.yaml",
        "azure-cli/role/test_create_for_rbac_idempotent.2019.excerpt.yaml",
        "azure-cli/role/test_role_assignment_create_using_principal_type.excerpt.yaml",
        "azure-cli/acs/test_aks_create_with_workload_identity_enabled.yaml",
        "azure-cli/acs/test_aks_update_with_oidc_issuer_enabled.excerpt.yaml",
        "rest-api-specs/msi/2024-11-30/FederatedIdentityCredentialCreate.json",
        "rest-api-specs/msi/2024-11-30/FederatedIdentityCredentialList.json",
        "rest-api-specs/msi/2024-11-30/FederatedIdentityCredentialDelete.json",
        "rest-api-specs/msi/2024-11-30/IdentityCreate.json",
        "rest-api-specs/authorization/2022-04-01/RoleAssignments_CreateForSubscription.json",
        "rest-api-specs/authorization/2022-04-01/RoleAssignments_Get.json",
        "rest-api-specs/authorization/2022-04-01/RoleAssignments_ListForScope.json",
        "rest-api-specs/authorization/2022-04-01/RoleAssignments_Delete.json",
        "rest-api-specs/containerservice/2025-10-01/ManagedClustersGet.json",
    ];

    [Fact]
    public void Table_CoversEveryRecording_AndEveryRowIsWellFormed()
    {
        foreach (var file in RecordedFiles)
            Assert.True(All.Value.Any(f => f.Source.StartsWith(file, StringComparison.Ordinal)), $"No fact row comes from {file}.");
        // When the recordings folder is at hand (not on a fresh clone), the list above must name every file in it.
        var folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "fixtures", "real-arm");
        if (Directory.Exists(folder))
        {
            var onDisk = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Where(f => f != "INDEX.md");
            Assert.Empty(onDisk.Except(RecordedFiles));
        }
        Assert.Equal(All.Value.Count, All.Value.Select(f => f.Id).Distinct().Count());
        foreach (var fact in All.Value)
        {
            Assert.False(string.IsNullOrWhiteSpace(fact.Fact), fact.Id + ": fact");
            Assert.InRange(fact.Status, 200, 599);
            Assert.True(fact.Emulator is null || !string.IsNullOrWhiteSpace(fact.Deviation), fact.Id + ": an emulator override needs a deviation saying why");
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Emulator_AnswersAsAzureDid(string id)
    {
        var fact = All.Value.Single(f => f.Id == id);
        var vars = new Dictionary<string, string>
        {
            ["sub"] = Sub, ["rg"] = Rg, ["tenant"] = Server.TenantId, ["base"] = Server.BaseUri.ToString(),
            ["n"] = "r" + (uint)id.GetHashCode() % 100000,
        };
        foreach (var step in fact.Before)
        {
            if (step.Advance is not null) { Advance(step.Advance); continue; }
            var (response, json) = await SendAsync(step, vars);
            Assert.True(response.IsSuccessStatusCode, $"{id}: setup {step.Method} {step.Path} answered {(int)response.StatusCode}: {json?.ToJsonString()}");
            foreach (var (name, from) in step.Capture)
            {
                vars[name] = from.StartsWith("header:", StringComparison.Ordinal)
                    ? Header(response, from["header:".Length..]) ?? throw new Xunit.Sdk.XunitException($"{id}: no {from}")
                    : At(json, from)?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"{id}: no {from} to capture");
            }
        }

        var (answer, body) = await SendAsync(fact.Request, vars);
        var text = body?.ToJsonString() ?? "(no body)";
        var status = fact.Emulator?.Status ?? fact.Status;
        Assert.True((int)answer.StatusCode == status, $"{id}: expected {status}, got {(int)answer.StatusCode}: {text}");
        // With an override, every part comes from it: the recording's body and headers describe another answer.
        var emulator = fact.Emulator;
        CheckHeaders(id, answer, emulator is null ? fact.Headers : emulator.Headers, vars);
        CheckBody(id, body, emulator is null ? fact.Body : emulator.Body, vars, text);
        if ((emulator is null ? fact.Error : emulator.Error) is { } error)
        {
            Assert.Equal(error.Code, body?["error"]?["code"]?.GetValue<string>());
            var message = body?["error"]?["message"]?.GetValue<string>() ?? "";
            Assert.Matches(ValueForm.ToRegex(error.Message, vars), message);
        }
    }

    private void Advance(string what)
    {
        var by = what switch
        {
            "cluster-operation" => fixture.Used.Clock.Real(fixture.Used.Clock.ClusterOperationDuration),
            "replication" => fixture.Used.PrincipalReplicationDelay,
            _ => throw new InvalidDataException($"Unknown advance '{what}'."),
        };
        fixture.Time.Advance(by + TimeSpan.FromSeconds(1));
    }

    private async Task<(HttpResponseMessage, JsonNode?)> SendAsync(FactRequest r, Dictionary<string, string> vars)
    {
        var request = new HttpRequestMessage(new HttpMethod(r.Method), ValueForm.Fill(r.Path, vars));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync());
        foreach (var (k, v) in r.Headers) request.Headers.TryAddWithoutValidation(k, ValueForm.Fill(v, vars));
        if (r.Body is not null) request.Content = new StringContent(ValueForm.Fill(r.Body, vars), Encoding.UTF8, "application/json");
        var response = await Http.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return (response, content.Length == 0 ? null : JsonNode.Parse(content));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var v) ? string.Join(",", v)
        : response.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : null;

    private static void CheckHeaders(string id, HttpResponseMessage response, FactHeaders? expected, Dictionary<string, string> vars)
    {
        if (expected is null) return;
        foreach (var name in expected.Present) Assert.True(Header(response, name) is not null, $"{id}: header {name} missing");
        foreach (var name in expected.Absent) Assert.True(Header(response, name) is null, $"{id}: header {name} must be absent, is '{Header(response, name)}'");
        foreach (var (name, pattern) in expected.Match)
        {
            var value = Header(response, name);
            Assert.True(value is not null, $"{id}: header {name} missing");
            Assert.True(ValueForm.ToRegex(pattern, vars).IsMatch(value), $"{id}: header {name} is '{value}', expected the form '{pattern}'");
        }
        if (expected.Equal.Count > 0)
            Assert.Single(expected.Equal.Select(n => Header(response, n)).Distinct());
    }

    private static void CheckBody(string id, JsonNode? body, FactBody? expected, Dictionary<string, string> vars, string text)
    {
        if (expected is null) return;
        if (expected.Empty) Assert.True(body is null, $"{id}: expected no body, got {text}");
        foreach (var path in expected.Keys) Assert.True(Has(body, path), $"{id}: body lacks {path} (exact casing): {text}");
        foreach (var path in expected.Absent) Assert.False(Has(body, path), $"{id}: body must not have {path}: {text}");
        foreach (var (path, pattern) in expected.Match)
        {
            var node = At(body, path);
            Assert.True(node is JsonValue, $"{id}: body lacks string {path}: {text}");
            var value = node!.GetValue<string>();
            Assert.True(ValueForm.ToRegex(pattern, vars).IsMatch(value), $"{id}: {path} is '{value}', expected the form '{pattern}'");
        }
        foreach (var (path, json) in expected.Json)
        {
            var node = path.Length == 0 ? body : At(body, path);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), node), $"{id}: {path} is {node?.ToJsonString() ?? "missing"}, expected {json}");
        }
        foreach (var (path, count) in expected.Count)
            Assert.True(At(body, path) is JsonArray a && a.Count == count, $"{id}: {path} should have {count} items: {text}");
    }

    [GeneratedRegex(@"^(?<key>[^\[]*)(\[(?<index>\d+)\])?$")]
    private static partial Regex Segment();

    /// <summary>Whether the dotted path exists with exactly this casing (a JSON null counts as present: real ARM writes nulls out).</summary>
    private static bool Has(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var m = Segment().Match(part);
            if (node is not JsonObject o || !o.TryGetPropertyValue(m.Groups["key"].Value, out var next)) return false;
            node = next;
            if (m.Groups["index"].Success)
            {
                if (node is not JsonArray a || int.Parse(m.Groups["index"].Value) >= a.Count) return false;
                node = a[int.Parse(m.Groups["index"].Value)];
            }
        }
        return true;
    }

    private static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var m = Segment().Match(part);
            if (node is not JsonObject o || !o.TryGetPropertyValue(m.Groups["key"].Value, out node)) return null;
            if (m.Groups["index"].Success) node = node is JsonArray a && int.Parse(m.Groups["index"].Value) < a.Count ? a[int.Parse(m.Groups["index"].Value)] : null;
        }
        return node;
    }
}
