using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class StateFileTests
{
    private static EmulatorState CustomState()
    {
        var state = DefaultState.Create();
        state.TenantId = "11111111-1111-4111-8111-111111111111";
        state.Subscriptions[0].SubscriptionId = "22222222-2222-4222-8222-222222222222";
        foreach (var rg in state.ResourceGroups) rg.SubscriptionId = state.Subscriptions[0].SubscriptionId;
        foreach (var c in state.Clusters) c.SubscriptionId = state.Subscriptions[0].SubscriptionId;
        state.ResourceGroups.Add(new ResourceGroupState { SubscriptionId = state.Subscriptions[0].SubscriptionId, Name = "rg-other", Location = "northeurope" });
        state.Identities.Add(new IdentityState
        {
            SubscriptionId = state.Subscriptions[0].SubscriptionId, ResourceGroup = "rg-other", Name = "preloaded", Location = "northeurope",
            ClientId = "33333333-3333-4333-8333-333333333333", PrincipalId = "44444444-4444-4444-8444-444444444444",
            FederatedIdentityCredentials = { new FederatedCredentialState { Name = "fic-pre", Issuer = "https://issuer/", Subject = "s", Audiences = { "api://AzureADTokenExchange" } } },
        });
        foreach (var ra in state.RoleAssignments) ra.Scope = "/subscriptions/" + state.Subscriptions[0].SubscriptionId;
        return state;
    }

    [Fact]
    public async Task StateFile_IsLoaded_AndResetReturnsToIt()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, CustomState().ToJson());
            await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { StateFile = file });
            Assert.Equal("11111111-1111-4111-8111-111111111111", server.TenantId);
            Assert.Equal("22222222-2222-4222-8222-222222222222", server.SubscriptionId);
            using var http = PinnedClient.Create(server.Thumbprint, server.BaseUri);
            var token = await TokenAsync(http, server);
            var path = $"/subscriptions/{server.SubscriptionId}/resourceGroups/rg-other/providers/Microsoft.ManagedIdentity/userAssignedIdentities/preloaded/federatedIdentityCredentials/fic-pre?api-version=2024-11-30";
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new("Bearer", token);
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            server.GrantRole(EmulatorDefaults.ContributorObjectId, "Owner", "/");
            server.Reset();
            Assert.Equal(2, server.Snapshot().RoleAssignments.Count);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task StateObject_IsLoaded_AndNotAliased()
    {
        var state = CustomState();
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { State = state });
        state.Identities.Clear();
        Assert.Single(server.Snapshot().Identities);
        var snapshot = server.Snapshot();
        snapshot.Identities.Clear();
        Assert.Single(server.Snapshot().Identities);
    }

    private static async Task<string> TokenAsync(HttpClient http, EmulatorServer server)
    {
        var response = await http.PostAsync($"/{server.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = EmulatorDefaults.DeployerClientId,
            ["client_secret"] = EmulatorDefaults.DeployerClientSecret, ["scope"] = "https://management.azure.com/.default",
        }));
        response.EnsureSuccessStatusCode();
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }
}
