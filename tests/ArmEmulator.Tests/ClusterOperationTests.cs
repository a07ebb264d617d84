using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ArmEmulator.Tests;

/// <summary>An emulator whose clock only moves when a test moves it: operations finish exactly when told.</summary>
public sealed class ManualClockFixture : EmulatorFixture
{
    public static readonly TimeSpan OperationDuration = TimeSpan.FromMinutes(4);
    public const double TimeScale = 60;
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);
    protected override EmulatorOptions Options => new()
    {
        Clock = new EmulatorClock { Time = Time, ClusterOperationDuration = OperationDuration, TimeScale = TimeScale },
    };
}

/// <summary>PUT of a whole managed cluster is a long-running operation, as recorded from real AKS (INDEX.md, acs/*).</summary>
public sealed class ClusterOperationTests(ManualClockFixture fixture) : EmulatorTestBase(fixture), IClassFixture<ManualClockFixture>
{
    private const string ClusterApi = "2025-10-01";
    private static string ClusterPath(string name) => $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/{name}?api-version={ClusterApi}";
    /// <summary>4 emulated minutes at 60x: four real seconds on the fake clock.</summary>
    private static readonly TimeSpan RealDuration = ManualClockFixture.OperationDuration / ManualClockFixture.TimeScale;

    private void Advance(TimeSpan by) => fixture.Time.Advance(by);

    /// <summary>az aks update: GET the whole cluster, change it, PUT it back.</summary>
    private async Task<ArmResult> UpdateAsync(string name, bool? oidc = null, bool? workloadIdentity = null)
    {
        var body = (await ArmAsync(HttpMethod.Get, ClusterPath(name))).Json!.AsObject();
        var p = body["properties"]!.AsObject();
        if (oidc is { } o) p["oidcIssuerProfile"] = new JsonObject { ["enabled"] = o };
        if (workloadIdentity is { } w) p["securityProfile"] = new JsonObject { ["workloadIdentity"] = new JsonObject { ["enabled"] = w } };
        return await ArmAsync(HttpMethod.Put, ClusterPath(name), body);
    }

    private async Task<JsonNode> OperationAsync(ArmResult put)
    {
        var url = new Uri(put.Header("Azure-AsyncOperation")!);
        var status = await ArmAsync(HttpMethod.Get, url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status.Status);
        return status.Json!;
    }

    [Fact]
    public async Task Update_Is200Updating_PollsInProgressThenSucceeded_AndAssignsTheIssuer()
    {
        var put = await UpdateAsync(EmulatorDefaults.ClusterNoOidc, oidc: true, workloadIdentity: true);

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("Updating", put.Json!["properties"]!["provisioningState"]!.GetValue<string>());
        var operationUrl = put.Header("Azure-AsyncOperation");
        Assert.Matches($"^{Regex(Server.BaseUri.ToString())}subscriptions/{Sub}/providers/Microsoft\\.ContainerService/locations/westeurope/operations/[0-9a-f-]{{36}}\\?api-version=2016-03-30$", operationUrl);
        var issuer = put.Json["properties"]!["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>();
        Assert.EndsWith("/", issuer);
        Assert.True(put.Json["properties"]!["securityProfile"]!["workloadIdentity"]!["enabled"]!.GetValue<bool>());

        var running = await OperationAsync(put);
        Assert.Equal("InProgress", running["status"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", running["name"]!.GetValue<string>());
        Assert.NotNull(running["startTime"]);
        Assert.Null(running["endTime"]);

        Advance(RealDuration - TimeSpan.FromMilliseconds(1));
        Assert.Equal("InProgress", (await OperationAsync(put))["status"]!.GetValue<string>());
        Assert.Equal("Updating", (await ArmAsync(HttpMethod.Get, ClusterPath(EmulatorDefaults.ClusterNoOidc))).Json!["properties"]!["provisioningState"]!.GetValue<string>());

        Advance(TimeSpan.FromMilliseconds(1));
        var done = await OperationAsync(put);
        Assert.Equal("Succeeded", done["status"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(done["endTime"]!.GetValue<string>()) > DateTimeOffset.Parse(done["startTime"]!.GetValue<string>()));
        var cluster = (await ArmAsync(HttpMethod.Get, ClusterPath(EmulatorDefaults.ClusterNoOidc))).Json!;
        Assert.Equal("Succeeded", cluster["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(issuer, cluster["properties"]!["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>());

        // The issuer serves its discovery document naming exactly itself.
        var discovery = await Http.GetAsync(new Uri(issuer + ".well-known/openid-configuration").PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal(issuer, JsonNode.Parse(await discovery.Content.ReadAsStringAsync())!["issuer"]!.GetValue<string>());
    }

    [Fact]
    public async Task SecondWrite_WhileOneRuns_Is409OperationNotAllowed_AndAllowedAfterwards()
    {
        var first = await UpdateAsync(EmulatorDefaults.ClusterNoWorkloadIdentity, workloadIdentity: true);
        Assert.Equal(HttpStatusCode.OK, first.Status);

        var second = await UpdateAsync(EmulatorDefaults.ClusterNoWorkloadIdentity, workloadIdentity: false);
        AssertError(second, HttpStatusCode.Conflict, "OperationNotAllowed");
        Assert.StartsWith("Operation is not allowed: Another operation (Updating) is in progress, please wait for it to finish before starting a new operation.", second.ErrorMessage);
        // Other clusters are not blocked.
        Assert.Equal(HttpStatusCode.OK, (await UpdateAsync(EmulatorDefaults.ClusterReady)).Status);

        Advance(RealDuration);
        var third = await UpdateAsync(EmulatorDefaults.ClusterNoWorkloadIdentity, workloadIdentity: false);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.False(third.Json!["properties"]!["securityProfile"]!["workloadIdentity"]?["enabled"]?.GetValue<bool>() ?? false);
    }

    [Fact]
    public async Task Create_Is201Creating_WithTheIssuerAlreadyAssigned()
    {
        var body = new JsonObject
        {
            ["location"] = "westeurope",
            ["properties"] = new JsonObject
            {
                ["dnsPrefix"] = "aks-new-dns",
                ["oidcIssuerProfile"] = new JsonObject { ["enabled"] = true },
                ["securityProfile"] = new JsonObject { ["workloadIdentity"] = new JsonObject { ["enabled"] = true } },
            },
        };
        var put = await ArmAsync(HttpMethod.Put, ClusterPath("aks-new"), body);
        Assert.Equal(HttpStatusCode.Created, put.Status);
        Assert.Equal("Creating", put.Json!["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.EndsWith("/", put.Json["properties"]!["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>());
        Assert.Equal("InProgress", (await OperationAsync(put))["status"]!.GetValue<string>());
        Advance(RealDuration);
        Assert.Equal("Succeeded", (await OperationAsync(put))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task WorkloadIdentityWithoutIssuer_Is400_AndNothingChanges()
    {
        var put = await UpdateAsync(EmulatorDefaults.ClusterNoOidc, workloadIdentity: true);
        Assert.Equal(HttpStatusCode.BadRequest, put.Status);
        Assert.Contains("OIDC issuer", put.ErrorMessage);
        var cluster = (await ArmAsync(HttpMethod.Get, ClusterPath(EmulatorDefaults.ClusterNoOidc))).Json!["properties"]!;
        Assert.Equal("Succeeded", cluster["provisioningState"]!.GetValue<string>());
        Assert.False(cluster["oidcIssuerProfile"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DisablingAnIssuerThatIsOn_Is400()
    {
        var put = await UpdateAsync(EmulatorDefaults.ClusterNoWorkloadIdentity, oidc: false);
        Assert.Equal(HttpStatusCode.BadRequest, put.Status);
        Assert.Contains("cannot be disabled", put.ErrorMessage);
        var cluster = (await ArmAsync(HttpMethod.Get, ClusterPath(EmulatorDefaults.ClusterNoWorkloadIdentity))).Json!["properties"]!;
        Assert.True(cluster["oidcIssuerProfile"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task UnknownOperation_Is404()
    {
        var result = await ArmAsync(HttpMethod.Get, $"/subscriptions/{Sub}/providers/Microsoft.ContainerService/locations/westeurope/operations/{Guid.NewGuid()}?api-version=2016-03-30");
        Assert.Equal(HttpStatusCode.NotFound, result.Status);
    }

    [Fact]
    public async Task RecreateThroughAdminApi_GivesANewIssuer_AndRetiresTheOld()
    {
        var before = (await ArmAsync(HttpMethod.Get, ClusterPath(EmulatorDefaults.ClusterReady))).Json!["properties"]!["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>();
        var response = await Http.PostAsync("/_emulator/recreate-cluster",
            new StringContent($"{{\"resourceGroup\":\"{Rg}\",\"name\":\"{EmulatorDefaults.ClusterReady}\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var announced = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["issuerURL"]!.GetValue<string>();

        var after = (await ArmAsync(HttpMethod.Get, ClusterPath(EmulatorDefaults.ClusterReady))).Json!["properties"]!["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>();
        Assert.NotEqual(before, after);
        Assert.Equal(announced, after);
        Assert.EndsWith("/", after);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(new Uri(before + ".well-known/openid-configuration").PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(after + ".well-known/openid-configuration").PathAndQuery)).StatusCode);

        var missing = await Http.PostAsync("/_emulator/recreate-cluster",
            new StringContent($"{{\"resourceGroup\":\"{Rg}\",\"name\":\"aks-nope\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public void OperationName_IsTheIdWithItsFirstThreeGroupsByteSwapped_AsRecorded()
    {
        // azure-cli/acs/test_aks_create_with_workload_identity_enabled.yaml: operation 28830174-9dcc-43c9-... reports name 74018328-cc9d-c943-...
        Assert.Equal("74018328-cc9d-c943-9aee-30c68b96eec8", ClusterOperations.SwappedName("28830174-9dcc-43c9-9aee-30c68b96eec8"));
    }

    [Fact]
    public async Task AdvancingTheSharedClock_FinishesAnOperation_AsMovingItsSourceDoes()
    {
        // One clock for every party: the admin advance (token expiry, propagation) moves cluster operations on too.
        var put = await UpdateAsync(EmulatorDefaults.ClusterNoOidc, oidc: true, workloadIdentity: true);
        Assert.Equal("InProgress", (await OperationAsync(put))["status"]!.GetValue<string>());

        Server.AdvanceClock(RealDuration);

        Assert.Equal("Succeeded", (await OperationAsync(put))["status"]!.GetValue<string>());
        Assert.Equal("Succeeded", (await ArmAsync(HttpMethod.Get, ClusterPath(EmulatorDefaults.ClusterNoOidc))).Json!["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public void Clock_AdvancesOnTopOfItsSource_AndResetTakesTheAdvanceBack()
    {
        var source = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var clock = new EmulatorClock { Time = source };

        clock.Advance(TimeSpan.FromMinutes(11));
        source.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(source.GetUtcNow() + TimeSpan.FromMinutes(11), clock.GetUtcNow());
        Assert.Equal(clock.GetUtcNow(), clock.Now);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
        clock.Reset();
        Assert.Equal(source.GetUtcNow(), clock.GetUtcNow());
    }

    [Theory]
    [InlineData(1, 240)]
    [InlineData(60, 4)]
    [InlineData(240, 1)]
    public void Clock_RunsAzureDurationsAtItsTimeScale(double scale, double realSeconds)
    {
        var clock = new EmulatorClock { TimeScale = scale };
        Assert.Equal(TimeSpan.FromSeconds(realSeconds), clock.Real(TimeSpan.FromMinutes(4)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public async Task Clock_RefusesATimeScaleThatIsNotPositive(double scale)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EmulatorServer.StartAsync(new EmulatorOptions { Clock = new EmulatorClock { TimeScale = scale } }));
    }

    [Fact]
    public async Task A_failing_update_runs_its_time_then_ends_Failed_with_the_error_and_only_the_next_one_fails()
    {
        Server.FailNextClusterOperation("ReconcileAddonsError", "Reconciling the workload identity webhook failed.");
        var put = await UpdateAsync(EmulatorDefaults.ClusterNoWorkloadIdentity, workloadIdentity: true);
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("InProgress", (await OperationAsync(put))["status"]!.GetValue<string>());

        Advance(RealDuration);
        var failed = await OperationAsync(put);
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
        Assert.Equal("ReconcileAddonsError", failed["error"]!["code"]!.GetValue<string>());
        Assert.Equal("Reconciling the workload identity webhook failed.", failed["error"]!["message"]!.GetValue<string>());
        Assert.NotNull(failed["endTime"]);
        var cluster = (await ArmAsync(HttpMethod.Get, ClusterPath(EmulatorDefaults.ClusterNoWorkloadIdentity))).Json!;
        Assert.Equal("Failed", cluster["properties"]!["provisioningState"]!.GetValue<string>());

        var again = await UpdateAsync(EmulatorDefaults.ClusterNoWorkloadIdentity, workloadIdentity: true);
        Advance(RealDuration);
        var succeeded = await OperationAsync(again);
        Assert.Equal("Succeeded", succeeded["status"]!.GetValue<string>());
        Assert.Null(succeeded["error"]);
    }

    private static string Regex(string literal) => System.Text.RegularExpressions.Regex.Escape(literal);
}
