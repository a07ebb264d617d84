using ArmEmulator;
using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Reliability;

/// <summary>
/// The one-shot setup (the engine's lifecycle, as New-AgentWorkloadIdentity runs it) against each fault Azure shows and
/// their combinations. Whatever the faults, it ends with exactly one identity, one role assignment and one credential
/// with the right values, and it sends at most 3 writes plus two per injected write fault (the stated bound: the retry
/// itself, and a 429 that the identity's own limit of one write per 4 s may answer to a retry that follows a lost answer).
/// </summary>
public sealed class FaultMatrixTests(ScaledEmulatorFixture emulator) : IClassFixture<ScaledEmulatorFixture>
{
    private const string IdentityName = "astronetes-azure-agent";
    private const string Agent = "my-agent";
    private static readonly WriteApproval Yes = (_, _) => true;

    private const string IdentityPath = "/userAssignedIdentities/[^/]+$";
    private const string CredentialPath = "/federatedIdentityCredentials/";
    private const string AssignmentPath = "/roleAssignments/[^/]+$";
    private const string ClusterPath = "/managedClusters/";
    private static readonly Dictionary<string, string> Fast = new() { ["x-ms-retry-after-ms"] = "30", ["Retry-After"] = "1" };

    private static FaultRule Rule(string method, string path, int? status = null, string? code = null, int times = 1, bool drop = false, bool after = false,
        Dictionary<string, string>? headers = null, int delayMs = 0)
        => new() { Method = method, Path = path, Status = status, Code = code, Times = times, Drop = drop, AfterHandling = after, Headers = headers, DelayMs = delayMs };

    public static TheoryData<string> Cases => new(Matrix.Keys);

    private static readonly Dictionary<string, FaultRule[]> Matrix = new()
    {
        ["identity write throttled (429, Retry-After)"] = [Rule("PUT", IdentityPath, 429, "ResourceRequestsThrottled", 2, headers: Fast)],
        ["reads throttled by ARM's bucket"] = [Rule("GET", "/subscriptions/", 429, "SubscriptionRequestsThrottled", 3, headers: Fast)],
        ["principal not replicated yet (PrincipalNotFound x3)"] = [Rule("PUT", AssignmentPath, 400, "PrincipalNotFound", 3)],
        ["concurrent credential write (409 x2)"] = [Rule("PUT", CredentialPath, 409, "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity", 2)],
        ["cluster read 503"] = [Rule("GET", ClusterPath, 503)],
        ["identity read 500"] = [Rule("GET", IdentityPath, 500)],
        ["credential write 502"] = [Rule("PUT", CredentialPath, 502)],
        ["role assignment write 504"] = [Rule("PUT", AssignmentPath, 504)],
        ["connection dropped before the identity write"] = [Rule("PUT", IdentityPath, drop: true)],
        ["identity written, answer lost"] = [Rule("PUT", IdentityPath, drop: true, after: true)],
        ["role assignment written, answer lost"] = [Rule("PUT", AssignmentPath, drop: true, after: true)],
        ["credential written, answer lost"] = [Rule("PUT", CredentialPath, drop: true, after: true)],
        ["credential written, answer replaced by 500"] = [Rule("PUT", CredentialPath, 500, after: true)],
        ["token refused as expired (401 ExpiredAuthenticationToken)"] =
        [
            Rule("GET", ClusterPath, 401, "ExpiredAuthenticationToken", headers: new()
            {
                ["WWW-Authenticate"] = "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", error_description=\"The access token has expired.\"",
            }),
        ],
        ["slow answers"] = [Rule("", ".", delayMs: 120, times: 20)],
        ["the issue's mix: throttled identity write, PrincipalNotFound x3, one 409, cluster 503, identity read 500"] =
        [
            Rule("PUT", IdentityPath, 429, "ResourceRequestsThrottled", 1, headers: Fast),
            Rule("PUT", AssignmentPath, 400, "PrincipalNotFound", 3),
            Rule("PUT", CredentialPath, 409, "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity", 1),
            Rule("GET", ClusterPath, 503),
            Rule("GET", IdentityPath, 500),
        ],
        ["everything at once"] =
        [
            Rule("GET", ClusterPath, 503),
            Rule("GET", IdentityPath, 500),
            Rule("PUT", IdentityPath, 429, "ResourceRequestsThrottled", 1, headers: Fast),
            Rule("PUT", IdentityPath, drop: true, after: true),
            Rule("PUT", AssignmentPath, 400, "PrincipalNotFound", 2),
            Rule("PUT", AssignmentPath, drop: true, after: true),
            Rule("PUT", CredentialPath, 409, "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity", 1),
            Rule("PUT", CredentialPath, 502),
            Rule("PUT", CredentialPath, drop: true, after: true),
            Rule("", ".", delayMs: 40, times: 30),
        ],
    };

    private AgentSpec Spec() => AgentSpec.ForCluster(new ClusterRef(emulator.SubscriptionId, emulator.ResourceGroup, EmulatorDefaults.ClusterReady), new[] { Agent }, IdentityName);

    private static async Task<ApplyResult> SetupAsync(AgentLifecycle lifecycle, AgentSpec spec)
        => await lifecycle.ApplyAsync(await lifecycle.PlanAsync(spec, PlanMode.Create, false, default), Yes, null, default);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SetupSurvives_AndLeavesExactlyOneOfEach_WithinTheWriteBound(string fault)
    {
        emulator.Reset();
        var rules = Matrix[fault];
        emulator.Server.AddFaults(rules);
        var recorder = new ArmCallRecorder();
        using var connection = emulator.CreateResilientConnection();
        var lifecycle = new AgentLifecycle(connection.CreateClient(recorder));

        var result = await SetupAsync(lifecycle, Spec());

        Assert.Empty(result.Failures.Select(f => f.Item.Kind + ": " + f.Error?.Message));
        emulator.AssertExactlyOneSetup(IdentityName, Agent);
        var writes = emulator.Server.Requests.Where(r => r.Method is "PUT" or "DELETE").ToList();
        var injectedWriteFaults = rules.Where(r => r.Method == "PUT" && (r.Status != null || r.Drop)).Sum(r => r.Times ?? 0);
        Assert.InRange(writes.Count, 3, 3 + 2 * injectedWriteFaults);
        Assert.Equal(3, writes.Count(r => r.Status is 200 or 201));
        // Every retry the engine made was told to the observer first, with its reason.
        var failedAttempts = recorder.Records.Count(r => r.Status == 0 || r.Status >= 500 || r.Status == 429 || r.ErrorCode is "PrincipalNotFound" or "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity");
        Assert.Equal(failedAttempts, recorder.Retries.Count);

        // Re-running the same setup afterwards writes nothing.
        emulator.Server.ClearFaults();
        var before = emulator.Server.Requests.Count(r => r.Method is "PUT" or "DELETE");
        var rerun = await SetupAsync(lifecycle, Spec());
        Assert.Empty(rerun.Failures);
        Assert.Equal(before, emulator.Server.Requests.Count(r => r.Method is "PUT" or "DELETE"));
        emulator.AssertExactlyOneSetup(IdentityName, Agent);
    }

    [Fact]
    public async Task PlainRetryAfterInSeconds_IsHonoured()
    {
        emulator.Reset();
        emulator.Server.AddFaults([Rule("PUT", IdentityPath, 429, "ResourceRequestsThrottled", 1, headers: new() { ["Retry-After"] = "1" })]);
        var recorder = new ArmCallRecorder();
        using var connection = emulator.CreateResilientConnection();
        var result = await SetupAsync(new AgentLifecycle(connection.CreateClient(recorder)), Spec());

        Assert.Empty(result.Failures);
        var wait = Assert.Single(recorder.Retries);
        Assert.Equal(RetryReason.Throttled, wait.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), wait.ServerDelay);
        Assert.True(wait.Delay >= TimeSpan.FromSeconds(1), "waited " + wait.Delay);
        Assert.Equal(2, wait.NextAttempt);
    }

    [Fact]
    public async Task ATokenThatExpiresMidRun_IsRenewed_AndNoRequestIsRefused()
    {
        emulator.Reset();
        // Tokens live 2 emulated minutes = 2 s real; answers slowed so the run lasts longer than one token.
        emulator.Server.AddFaults([Rule("", "^/subscriptions/", delayMs: 450, times: 50)]);
        using var connection = emulator.CreateResilientConnection();
        var result = await SetupAsync(new AgentLifecycle(connection.CreateClient()), Spec());

        Assert.Empty(result.Failures);
        emulator.AssertExactlyOneSetup(IdentityName, Agent);
        Assert.DoesNotContain(emulator.Server.Requests, r => r.Status == 401);
        Assert.True(emulator.Server.Requests.Count(r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal)) >= 2, "one token served the whole run");
    }

    [Fact]
    public async Task ThrottlingThatOutlastsTheBound_FailsWithTheRetriesSaid_AndReRunningCompletes()
    {
        emulator.Reset();
        emulator.Server.AddFaults([Rule("PUT", AssignmentPath, 400, "PrincipalNotFound", times: 1000)]);
        using var connection = emulator.CreateResilientConnection(o => o.PrincipalReplicationTimeout = TimeSpan.FromMilliseconds(300));
        var lifecycle = new AgentLifecycle(connection.CreateClient());

        var result = await SetupAsync(lifecycle, Spec());
        var failed = Assert.Single(result.Failures);
        Assert.Equal(PlanItemKind.RoleAssignment, failed.Item.Kind);
        Assert.Contains("Still failing after", failed.Error!.Message);
        // What was done is in the result: the identity and the credential exist, the role assignment is missing.
        Assert.Equal(SetupAction.Created, result.OutcomeOf(PlanItemKind.Identity).Action);
        Assert.Equal(SetupAction.Created, result.OutcomeOf(PlanItemKind.FederatedCredential).Action);

        emulator.Server.ClearFaults();
        var rerun = await SetupAsync(lifecycle, Spec());
        Assert.Empty(rerun.Failures);
        Assert.Equal(SetupAction.Created, rerun.OutcomeOf(PlanItemKind.RoleAssignment).Action);
        emulator.AssertExactlyOneSetup(IdentityName, Agent);
    }
}
