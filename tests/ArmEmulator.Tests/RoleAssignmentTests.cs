using System.Net;
using Xunit;

namespace ArmEmulator.Tests;

public sealed class RoleAssignmentTests(EmulatorFixture fixture) : EmulatorTestBase(fixture), IClassFixture<EmulatorFixture>
{
    private static string RaPath(string scope, string name) => $"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}?api-version={AuthApi}";
    private static readonly string SubScope = $"/subscriptions/{Sub}";

    private async Task<string> NewIdentityPrincipalAsync(string name)
    {
        var identity = await PutIdentityAsync(name);
        return identity.Json!["properties"]!["principalId"]!.GetValue<string>();
    }

    [Fact]
    public async Task Put_Creates201_WithFullBody_Get_Delete()
    {
        var principal = await NewIdentityPrincipalAsync("agent");
        var name = Guid.NewGuid().ToString();
        var created = await ArmAsync(HttpMethod.Put, RaPath(RgPath, name), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var p = created.Json!["properties"]!;
        Assert.Equal($"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/{EmulatorDefaults.ReaderRoleId}", p["roleDefinitionId"]!.GetValue<string>());
        Assert.Equal(principal, p["principalId"]!.GetValue<string>());
        Assert.Equal("ServicePrincipal", p["principalType"]!.GetValue<string>());
        Assert.Equal(RgPath, p["scope"]!.GetValue<string>());
        foreach (var field in new[] { "createdOn", "updatedOn", "createdBy", "updatedBy", "description", "condition" })
            Assert.True(p.AsObject().ContainsKey(field), field);
        // As recorded: the create answer says createdBy null and updatedBy the caller; a later read names the creator.
        Assert.Null(p["createdBy"]);
        Assert.Equal(EmulatorDefaults.DeployerObjectId, p["updatedBy"]!.GetValue<string>());
        Assert.Equal($"{RgPath}/providers/Microsoft.Authorization/roleAssignments/{name}", created.Json["id"]!.GetValue<string>());
        Assert.Equal("Microsoft.Authorization/roleAssignments", created.Json["type"]!.GetValue<string>());

        var again = await ArmAsync(HttpMethod.Put, RaPath(RgPath, name), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        var read = await ArmAsync(HttpMethod.Get, RaPath(RgPath, name));
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(EmulatorDefaults.DeployerObjectId, read.Json!["properties"]!["createdBy"]!.GetValue<string>());
        var deleted = await ArmAsync(HttpMethod.Delete, RaPath(RgPath, name));
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(name, deleted.Json!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await ArmAsync(HttpMethod.Delete, RaPath(RgPath, name))).Status);
    }

    [Fact]
    public async Task NonGuidName_Is400InvalidRoleAssignmentId()
    {
        var result = await ArmAsync(HttpMethod.Put, RaPath(RgPath, "not-a-guid"), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, EmulatorDefaults.ContributorObjectId));
        AssertError(result, HttpStatusCode.BadRequest, "InvalidRoleAssignmentId");
    }

    [Fact]
    public async Task SameAssignmentUnderAnotherName_Is409RoleAssignmentExists()
    {
        var first = await ArmAsync(HttpMethod.Put, RaPath(RgPath, Guid.NewGuid().ToString()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, EmulatorDefaults.ContributorObjectId));
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var second = await ArmAsync(HttpMethod.Put, RaPath(RgPath, Guid.NewGuid().ToString()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, EmulatorDefaults.ContributorObjectId));
        AssertError(second, HttpStatusCode.Conflict, "RoleAssignmentExists");
        Assert.Equal("The role assignment already exists.", second.ErrorMessage);
    }

    [Fact]
    public async Task ReusedNameWithOtherPrincipalOrRole_Is400RoleAssignmentUpdateNotPermitted()
    {
        var name = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await ArmAsync(HttpMethod.Put, RaPath(RgPath, name), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, EmulatorDefaults.ContributorObjectId))).Status);
        AssertError(await ArmAsync(HttpMethod.Put, RaPath(RgPath, name), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, EmulatorDefaults.DeployerObjectId)),
            HttpStatusCode.BadRequest, "RoleAssignmentUpdateNotPermitted");
        AssertError(await ArmAsync(HttpMethod.Put, RaPath(RgPath, name), RoleAssignmentBody(EmulatorDefaults.OwnerRoleId, EmulatorDefaults.ContributorObjectId)),
            HttpStatusCode.BadRequest, "RoleAssignmentUpdateNotPermitted");
    }

    [Fact]
    public async Task UnknownRoleDefinition_Is400RoleDefinitionDoesNotExist()
    {
        var result = await ArmAsync(HttpMethod.Put, RaPath(RgPath, Guid.NewGuid().ToString()), RoleAssignmentBody(Guid.NewGuid().ToString(), EmulatorDefaults.ContributorObjectId));
        AssertError(result, HttpStatusCode.BadRequest, "RoleDefinitionDoesNotExist");
    }

    [Fact]
    public async Task UnknownPrincipal_Is400PrincipalNotFound_EvenWithServicePrincipal()
    {
        foreach (var type in new[] { null, "ServicePrincipal" })
        {
            var result = await ArmAsync(HttpMethod.Put, RaPath(RgPath, Guid.NewGuid().ToString()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, Guid.NewGuid().ToString(), type));
            AssertError(result, HttpStatusCode.BadRequest, "PrincipalNotFound");
            Assert.Contains($"does not exist in the directory {Server.TenantId}", result.ErrorMessage);
            Assert.Contains("replication delay", result.ErrorMessage);
            Assert.Contains("principalType", result.ErrorMessage);
        }
    }

    [Fact]
    public async Task NewPrincipal_WithoutPrincipalType_IsPrincipalNotFound_WithServicePrincipalSucceeds()
    {
        var principal = await NewIdentityPrincipalAsync("fresh");
        AssertError(await ArmAsync(HttpMethod.Put, RaPath(RgPath, Guid.NewGuid().ToString()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal, null)),
            HttpStatusCode.BadRequest, "PrincipalNotFound");
        AssertError(await ArmAsync(HttpMethod.Put, RaPath(RgPath, Guid.NewGuid().ToString()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal, "User")),
            HttpStatusCode.BadRequest, "PrincipalNotFound");
        Assert.Equal(HttpStatusCode.Created,
            (await ArmAsync(HttpMethod.Put, RaPath(RgPath, Guid.NewGuid().ToString()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal, "ServicePrincipal"))).Status);
    }

    [Fact]
    public async Task OldPrincipal_WithoutPrincipalType_DefaultsToUser()
    {
        var result = await ArmAsync(HttpMethod.Put, RaPath(RgPath, Guid.NewGuid().ToString()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, EmulatorDefaults.ContributorObjectId, null));
        Assert.Equal(HttpStatusCode.Created, result.Status);
        Assert.Equal("User", result.Json!["properties"]!["principalType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Contributor_CannotWriteRoleAssignment_UntilGranted()
    {
        var principal = await NewIdentityPrincipalAsync("agent");
        var name = Guid.NewGuid().ToString();
        var denied = await ContributorAsync(HttpMethod.Put, RaPath(RgPath, name), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal));
        AssertError(denied, HttpStatusCode.Forbidden, "AuthorizationFailed");
        Assert.Equal(
            $"The client '{EmulatorDefaults.ContributorClientId}' with object id '{EmulatorDefaults.ContributorObjectId}' does not have authorization to perform action " +
            $"'Microsoft.Authorization/roleAssignments/write' over scope '{RgPath}/providers/Microsoft.Authorization/roleAssignments/{name}' or the scope is invalid. " +
            "If access was recently granted, please refresh your credentials.", denied.ErrorMessage);

        // Contributor can still create identities and read role assignments.
        Assert.Equal(HttpStatusCode.Created, (await ContributorAsync(HttpMethod.Put, $"{IdentitiesPath}/by-contributor?api-version={IdentityApi}", new { location = "westeurope" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await ContributorAsync(HttpMethod.Get, $"{SubScope}/providers/Microsoft.Authorization/roleAssignments?api-version={AuthApi}")).Status);

        Server.GrantRole(EmulatorDefaults.ContributorObjectId, "Owner", RgPath);
        var allowed = await ContributorAsync(HttpMethod.Put, RaPath(RgPath, name), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal));
        Assert.Equal(HttpStatusCode.Created, allowed.Status);
    }

    [Fact]
    public async Task ReaderOnly_CannotCreateIdentity()
    {
        var snapshot = Server.Snapshot();
        // Strip the contributor down to Reader.
        Server.Reset();
        Server.GrantRole(EmulatorDefaults.ContributorObjectId, "Reader", SubScope);
        var contributorAssignment = snapshot.RoleAssignments.Single(r => r.PrincipalId == EmulatorDefaults.ContributorObjectId);
        Assert.Equal(HttpStatusCode.OK, (await ArmAsync(HttpMethod.Delete, RaPath(SubScope, contributorAssignment.Name))).Status);
        var denied = await ContributorAsync(HttpMethod.Put, $"{IdentitiesPath}/nope?api-version={IdentityApi}", new { location = "westeurope" });
        AssertError(denied, HttpStatusCode.Forbidden, "AuthorizationFailed");
        Assert.Equal(HttpStatusCode.OK, (await ContributorAsync(HttpMethod.Get, $"{RgPath}/providers/Microsoft.ContainerService/managedClusters/aks-ready?api-version=2025-10-01")).Status);
    }

    [Fact]
    public async Task List_FiltersByPrincipal_AtScope_AssignedTo_AndPages()
    {
        var principal = await NewIdentityPrincipalAsync("agent");
        Assert.Equal(HttpStatusCode.Created, (await ArmAsync(HttpMethod.Put, RaPath(RgPath, Guid.NewGuid().ToString()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal))).Status);

        var all = await ArmAsync(HttpMethod.Get, $"{SubScope}/providers/Microsoft.Authorization/roleAssignments?api-version={AuthApi}");
        Assert.Equal(3, all.Json!["value"]!.AsArray().Count); // below the scope included

        var atScope = await ArmAsync(HttpMethod.Get, $"{SubScope}/providers/Microsoft.Authorization/roleAssignments?api-version={AuthApi}&$filter=atScope()");
        Assert.Equal(2, atScope.Json!["value"]!.AsArray().Count);

        var byPrincipal = await ArmAsync(HttpMethod.Get, $"{RgPath}/providers/Microsoft.Authorization/roleAssignments?api-version={AuthApi}&$filter=" + Uri.EscapeDataString($"principalId eq '{principal}'"));
        var only = Assert.Single(byPrincipal.Json!["value"]!.AsArray());
        Assert.Equal(principal, only!["properties"]!["principalId"]!.GetValue<string>());

        var combined = await ArmAsync(HttpMethod.Get, $"{RgPath}/providers/Microsoft.Authorization/roleAssignments?api-version={AuthApi}&$filter=" +
            Uri.EscapeDataString($"atScope() and assignedTo('{EmulatorDefaults.DeployerObjectId}')"));
        var owner = Assert.Single(combined.Json!["value"]!.AsArray());
        Assert.Equal(SubScope, owner!["properties"]!["scope"]!.GetValue<string>());

        for (var i = 0; i < 11; i++) Server.GrantRole(EmulatorDefaults.ContributorObjectId, "Reader", $"{RgPath}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/x{i}");
        var page1 = await ArmAsync(HttpMethod.Get, $"{SubScope}/providers/Microsoft.Authorization/roleAssignments?api-version={AuthApi}");
        Assert.Equal(10, page1.Json!["value"]!.AsArray().Count);
        var page2 = await ArmAsync(HttpMethod.Get, page1.Json["nextLink"]!.GetValue<string>());
        Assert.Equal(4, page2.Json!["value"]!.AsArray().Count);
        Assert.Null(page2.Json["nextLink"]);
    }

    [Fact]
    public async Task RoleDefinitions_FilterByName_AndGetById()
    {
        var list = await ArmAsync(HttpMethod.Get, $"{SubScope}/providers/Microsoft.Authorization/roleDefinitions?api-version={AuthApi}&$filter=" + Uri.EscapeDataString("roleName eq 'Reader'"));
        var reader = Assert.Single(list.Json!["value"]!.AsArray())!;
        Assert.Equal(EmulatorDefaults.ReaderRoleId, reader["name"]!.GetValue<string>());
        Assert.Equal($"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/{EmulatorDefaults.ReaderRoleId}", reader["id"]!.GetValue<string>());
        Assert.Equal("BuiltInRole", reader["properties"]!["type"]!.GetValue<string>());
        Assert.Equal("*/read", reader["properties"]!["permissions"]![0]!["actions"]![0]!.GetValue<string>());
        Assert.NotNull(reader["properties"]!["assignableScopes"]);

        var all = await ArmAsync(HttpMethod.Get, $"{RgPath}/providers/Microsoft.Authorization/roleDefinitions?api-version={AuthApi}");
        Assert.Equal(3, all.Json!["value"]!.AsArray().Count);

        var contributor = await ArmAsync(HttpMethod.Get, $"{SubScope}/providers/Microsoft.Authorization/roleDefinitions/{EmulatorDefaults.ContributorRoleId}?api-version={AuthApi}");
        Assert.Equal("Contributor", contributor.Json!["properties"]!["roleName"]!.GetValue<string>());
        Assert.Contains("Microsoft.Authorization/*/Write", contributor.Json["properties"]!["permissions"]![0]!["notActions"]!.AsArray().Select(a => a!.GetValue<string>()));

        AssertError(await ArmAsync(HttpMethod.Get, $"{SubScope}/providers/Microsoft.Authorization/roleDefinitions/{Guid.NewGuid()}?api-version={AuthApi}"),
            HttpStatusCode.NotFound, "RoleDefinitionDoesNotExist");

        var root = await ContributorAsync(HttpMethod.Get, $"/providers/Microsoft.Authorization/roleDefinitions/{EmulatorDefaults.OwnerRoleId}?api-version=2018-01-01-preview");
        Assert.Equal(HttpStatusCode.OK, root.Status);
        Assert.Equal($"/providers/Microsoft.Authorization/roleDefinitions/{EmulatorDefaults.OwnerRoleId}", root.Json!["id"]!.GetValue<string>());
    }
}

public sealed class ReplicationDelayTests(ShortReplicationDelayFixture fixture) : EmulatorTestBase(fixture), IClassFixture<ShortReplicationDelayFixture>
{
    [Fact]
    public async Task AfterTheDelay_PrincipalIsFoundWithoutPrincipalType()
    {
        var principal = (await PutIdentityAsync("later")).Json!["properties"]!["principalId"]!.GetValue<string>();
        var path = $"{RgPath}/providers/Microsoft.Authorization/roleAssignments/{{0}}?api-version={AuthApi}";
        AssertError(await ArmAsync(HttpMethod.Put, string.Format(path, Guid.NewGuid()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal, null)),
            HttpStatusCode.BadRequest, "PrincipalNotFound");
        await Task.Delay(400);
        var ok = await ArmAsync(HttpMethod.Put, string.Format(path, Guid.NewGuid()), RoleAssignmentBody(EmulatorDefaults.ReaderRoleId, principal, null));
        Assert.Equal(HttpStatusCode.Created, ok.Status);
    }

    [Fact]
    public async Task ListPageSizeOption_IsHonoured()
    {
        for (var i = 0; i < 4; i++) await PutIdentityAsync($"agent-{i}");
        var page = await ArmAsync(HttpMethod.Get, $"{IdentitiesPath}?api-version={IdentityApi}");
        Assert.Equal(3, page.Json!["value"]!.AsArray().Count);
        Assert.NotNull(page.Json["nextLink"]);
    }
}
