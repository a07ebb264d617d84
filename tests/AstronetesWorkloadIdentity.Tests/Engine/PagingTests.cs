using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Engine;

public class PagingTests : IClassFixture<SmallPageEmulatorFixture>
{
    private readonly SmallPageEmulatorFixture emulator;

    public PagingTests(SmallPageEmulatorFixture emulator)
    {
        this.emulator = emulator;
        emulator.Reset();
    }

    [Fact]
    public async Task IdentitiesAndFederatedCredentialsFollowNextLink()
    {
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();
        var created = new List<UserAssignedIdentity>();
        for (var i = 0; i < 5; i++)
            created.Add((await client.CreateOrUpdateIdentityAsync(emulator.SubscriptionId, emulator.ResourceGroup, "paged-" + i, "westeurope", null, default)).Resource);
        var first = created[0];
        for (var i = 0; i < 5; i++)
            await client.CreateOrUpdateFederatedCredentialAsync(first.Id, "fic-" + i, "https://issuer.example/" + i + "/", "system:serviceaccount:ns:sa", AgentDefaults.Audience, default);
        var before = emulator.ArmRequests().Count;

        var identities = await client.ListIdentitiesAsync(emulator.SubscriptionId, emulator.ResourceGroup, default);
        var fics = await client.ListFederatedCredentialsAsync(first.Id, default);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => "paged-" + i).OrderBy(n => n), identities.Select(x => x.Name).OrderBy(n => n));
        Assert.Equal(5, fics.Select(f => f.Name).Distinct().Count());
        var listCalls = emulator.ArmRequests().Skip(before).ToList();
        Assert.Equal(6, listCalls.Count); // 3 pages of 2 for each list
        Assert.Contains(listCalls, r => r.Query.Contains("skiptoken", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RoleAssignmentsFollowNextLink()
    {
        var scope = "/subscriptions/" + emulator.SubscriptionId;
        var principal = Guid.NewGuid().ToString();
        emulator.Server.GrantRole(principal, "Reader", scope);
        emulator.Server.GrantRole(principal, "Contributor", scope);
        emulator.Server.GrantRole(principal, "Owner", scope);
        using var connection = emulator.CreateDeployerConnection();

        var all = await connection.CreateClient().ListRoleAssignmentsAsync(scope, null, default);
        var mine = await connection.CreateClient().ListRoleAssignmentsAsync(scope, $"principalId eq '{principal}'", default);

        Assert.True(all.Count >= 5, "default assignments plus three granted");
        Assert.Equal(3, mine.Count);
        Assert.All(mine, a => Assert.Equal(principal, a.PrincipalId));
    }
}
