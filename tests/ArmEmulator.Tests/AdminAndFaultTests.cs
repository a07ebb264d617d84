using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class AdminAndFaultTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private static readonly string ClusterPath = $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version=2025-10-01";
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private Task<HttpResponseMessage> PostFaultsAsync(string json) =>
        Http.PostAsync("/_emulator/faults", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task ThrottleFault_AnswersStatusCodeAndRetryAfter_ForTimes_ThenNormally()
    {
        var add = await PostFaultsAsync("""[{"method":"GET","path":"managedClusters/aks-ready$","status":429,"code":"SubscriptionRequestsThrottled","message":"Number of read requests exceeded.","headers":{"Retry-After":"1"},"times":2}]""");
        Assert.Equal(HttpStatusCode.NoContent, add.StatusCode);
        for (var i = 0; i < 2; i++)
        {
            var throttled = await ArmAsync(HttpMethod.Get, ClusterPath);
            AssertError(throttled, (HttpStatusCode)429, "SubscriptionRequestsThrottled");
            Assert.Equal("1", throttled.Header("Retry-After"));
            Assert.NotNull(throttled.Header("x-ms-request-id"));
        }
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Get, ClusterPath)).Status);
        var log = Server.Requests.Where(r => r.Path.EndsWith("aks-ready")).ToList();
        Assert.Equal(new[] { 429, 429, 200 }, log.Select(r => r.Status));
        Assert.Equal("SubscriptionRequestsThrottled", log[0].ErrorCode);
    }

    [Fact]
    public async Task FaultMethodFilter_AndTokenEndpointFaults()
    {
        Server.AddFaults([new FaultRule { Method = "PUT", Path = "userAssignedIdentities", Status = 500 }]);
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}?api-version={IdentityApi}")).Status);
        AssertError(await PutIdentityAsync("agent"), HttpStatusCode.InternalServerError, "InternalServerError");
        Server.ClearFaults();
        Assert.Equal(HttpStatusCode.Created, (await PutIdentityAsync("agent")).Status);

        Server.AddFaults([new FaultRule { Path = "/oauth2/v2.0/token$", Status = 503, Times = 1 }]);
        var failed = await RequestTokenAsync(EmulatorDefaults.ContributorClientId, EmulatorDefaults.ContributorClientSecret);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        var ok = await RequestTokenAsync(EmulatorDefaults.ContributorClientId, EmulatorDefaults.ContributorClientSecret);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task DelayFault_AddsLatency_ThenAnswersNormally()
    {
        await PostFaultsAsync("""[{"path":"aks-ready","delayMs":400,"times":1}]""");
        var sw = Stopwatch.StartNew();
        var result = await ArmAsync(HttpMethod.Get, ClusterPath);
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.True(sw.ElapsedMilliseconds >= 380, $"took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task DropFault_AbortsTheConnection()
    {
        Server.AddFaults([new FaultRule { Path = "aks-ready", Drop = true, Times = 1 }]);
        await Assert.ThrowsAsync<HttpRequestException>(() => ArmAsync(HttpMethod.Get, ClusterPath));
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Get, ClusterPath)).Status);
    }

    [Fact]
    public async Task AfterHandling_MakesTheWrite_ThenLosesOrReplacesItsAnswer()
    {
        Server.AddFaults([new FaultRule { Method = "PUT", Path = "/userAssignedIdentities/lost$", Drop = true, AfterHandling = true, Times = 1 }]);
        await Assert.ThrowsAsync<HttpRequestException>(() => PutIdentityAsync("lost"));
        Assert.Contains(Server.Snapshot().Identities, i => i.Name == "lost");
        // The client's retry finds it: 200, not 201.
        Assert.Equal(HttpStatusCode.OK, (await PutIdentityAsync("lost")).Status);

        Server.AddFaults([new FaultRule { Method = "PUT", Path = "/userAssignedIdentities/replaced$", Status = 500, AfterHandling = true, Times = 1 }]);
        var replaced = await PutIdentityAsync("replaced");
        AssertError(replaced, HttpStatusCode.InternalServerError, "InternalServerError");
        Assert.Null(replaced.Header("Location"));
        Assert.Contains(Server.Snapshot().Identities, i => i.Name == "replaced");
    }

    [Fact]
    public async Task DeleteFaults_RemovesThem()
    {
        await PostFaultsAsync("""[{"path":".*","status":503}]""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Http.GetAsync(ClusterPath)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/_emulator/faults")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Get, ClusterPath)).Status);
    }

    [Fact]
    public async Task RequestLog_RecordsArmRequests_NotAdminCalls_NoSecrets()
    {
        await ArmAsync(HttpMethod.Get, ClusterPath, headers: new() { ["x-ms-client-request-id"] = "abc-123", ["User-Agent"] = "emulator-test/1.0" });
        await PutIdentityAsync("logged");
        await Http.GetAsync("/_emulator/state");
        var response = await Http.GetAsync("/_emulator/requests");
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(EmulatorDefaults.DeployerClientSecret, text);
        Assert.DoesNotContain("Bearer", text);
        var entries = JsonSerializer.Deserialize<List<RequestLogEntry>>(text, Web)!;
        Assert.Equal(3, entries.Count); // token, GET, PUT
        Assert.Contains("oauth2/v2.0/token", entries[0].Path);
        Assert.Null(entries[0].Body);
        Assert.Equal("abc-123", entries[1].ClientRequestId);
        Assert.Contains("emulator-test/1.0", entries[1].UserAgent);
        Assert.Equal("?api-version=2025-10-01", entries[1].Query);
        Assert.Equal("PUT", entries[2].Method);
        Assert.Equal(201, entries[2].Status);
        Assert.Contains("westeurope", entries[2].Body);
        var raw = JsonNode.Parse(text)!.AsArray()[1]!;
        foreach (var field in new[] { "time", "method", "path", "query", "status", "errorCode", "clientRequestId", "userAgent", "body" })
            Assert.True(raw.AsObject().ContainsKey(field), field);
    }

    [Fact]
    public async Task Reset_RestoresState_ClearsLogAndFaults()
    {
        await PutIdentityAsync("temp");
        Server.AddFaults([new FaultRule { Path = "nothing-matches-this" }]);
        Assert.Equal(HttpStatusCode.NoContent, (await Http.PostAsync("/_emulator/reset", null)).StatusCode);
        Assert.Empty(Server.Requests);
        Assert.Empty(Server.Snapshot().Identities);
        AssertError(await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}/temp?api-version={IdentityApi}"), HttpStatusCode.NotFound, "ResourceNotFound");
    }

    [Fact]
    public async Task State_IsServedInTheLoadableShape()
    {
        await PutIdentityAsync("in-state");
        var text = await Http.GetStringAsync("/_emulator/state");
        var state = EmulatorState.FromJson(text);
        Assert.Equal(Server.TenantId, state.TenantId);
        Assert.Contains(state.Identities, i => i.Name == "in-state");
        Assert.Equal(3, state.Clusters.Count);
        Assert.Equal(3, state.RoleDefinitions.Count);
        Assert.NotNull(JsonNode.Parse(text)!["roleAssignments"]);
    }

    [Fact]
    public async Task Grant_ViaAdminApi_MirrorsGrantRole()
    {
        var principal = (await PutIdentityAsync("agent")).Json!["properties"]!["principalId"]!.GetValue<string>();
        var path = $"{RgPath}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={AuthApi}";
        AssertError(await ContributorAsync(HttpMethod.Put, path, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal)), HttpStatusCode.Forbidden, "AuthorizationFailed");
        var grant = await Http.PostAsJsonAsync("/_emulator/grant", new { principalId = EmulatorDefaults.ContributorObjectId, roleName = "Owner", scope = $"/subscriptions/{Sub}" });
        Assert.Equal(HttpStatusCode.NoContent, grant.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ContributorAsync(HttpMethod.Put, path, RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal))).Status);
    }

    [Fact]
    public async Task UnknownAdminEndpoint_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/_emulator/nope")).StatusCode);
    }
}
