<#
.SYNOPSIS
The one-line workload identity setup, run against the local ARM emulator.

.DESCRIPTION
Starts the ARM emulator, imports the built module, connects to the emulator with the
emulator's deployer service principal (its certificate pinned by thumbprint), runs the
one-line setup for the agent, shows the agent configuration, runs the same line again to
show that nothing changes, and stops the emulator. build.ps1 -Task Demo runs this.

.PARAMETER ModulePath
The built module folder (out/AstronetesWorkloadIdentity).

.PARAMETER EmulatorDll
The built ArmEmulator.dll.

.PARAMETER AgentName
The Astronetes agent, which is also its Kubernetes service account name.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorDll,
    [string] $AgentName = 'my-agent'
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../build/ArmEmulatorProcess.psm1')
Import-Module $ModulePath

$emulator = Start-ArmEmulatorProcess -DllPath $EmulatorDll
try {
    Write-Host "ARM emulator listening at $($emulator.Url) (certificate $($emulator.Thumbprint))"
    $credential = Get-ArmEmulatorCredential -Emulator $emulator -DisplayName astronetes-deployer

    Connect-AgentAzure -ArmEndpoint $emulator.Url -AuthorityHost $emulator.Url `
        -TrustedCertificateThumbprint $emulator.Thumbprint -TenantId $emulator.TenantId `
        -SubscriptionId $emulator.SubscriptionId -ServicePrincipal -Credential $credential | Format-List

    $setup = {
        Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
            New-AgentManagedIdentity -Name astronetes-azure-agent |
            New-AgentRoleAssignment |
            New-AgentFederatedCredential -AgentName $AgentName
    }

    Write-Host "`n== First run: creates the identity, the Reader assignment and the federated credential"
    $configuration = & $setup
    $configuration | Format-List

    $writes = @((Invoke-ArmEmulatorAdmin -Emulator $emulator -Path requests) | Where-Object method -in 'PUT', 'PATCH', 'DELETE')
    Write-Host "Writes sent to ARM: $($writes.Count)"

    Write-Host "`n== Second run: everything exists, nothing is written"
    $before = @(Invoke-ArmEmulatorAdmin -Emulator $emulator -Path requests).Count
    $again = & $setup
    $again | Format-List IdentityAction, RoleAssignmentAction, FederatedCredentialAction, ClientId
    $after = @(Invoke-ArmEmulatorAdmin -Emulator $emulator -Path requests)
    $rerunWrites = @($after | Select-Object -Skip $before | Where-Object method -in 'PUT', 'PATCH', 'DELETE')
    Write-Host "Writes sent to ARM on the second run: $($rerunWrites.Count)"
    if ($again.ClientId -ne $configuration.ClientId) { throw 'The second run returned another identity.' }

    Write-Host "`n== What the Astronetes agent's configuration needs"
    $configuration | Select-Object ClientId, TenantId, SubscriptionId, Namespace, ServiceAccountName | ConvertTo-Json
}
finally {
    Stop-ArmEmulatorProcess -Emulator $emulator
}
