# A deployer with Contributor only: the identity is created, the role assignment fails clearly, a grant and a re-run finish.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:AWI_MODULE_PATH -Force
    $script:Emulator = Start-ArmEmulatorProcess

    function Invoke-Setup {
        Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
            New-AgentManagedIdentity -Name astronetes-azure-agent |
            New-AgentRoleAssignment |
            New-AgentFederatedCredential -AgentName my-agent
    }
}

AfterAll {
    Stop-ArmEmulatorProcess -Emulator $script:Emulator
}

Describe 'A caller without permission to assign roles' {
    It 'keeps the identity, names the missing permission, and completes after a grant' {
        Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Method POST -Path reset
        Connect-TestArmEmulator -Emulator $script:Emulator -As Contributor | Out-Null

        $ErrorActionPreference = 'Continue'
        $all = @(Invoke-Setup 2>&1)
        $ErrorActionPreference = 'Stop'
        $failures = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RoleAssignmentAuthorizationFailed,*'
        $failures[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*Microsoft.Authorization/roleAssignments/write*Owner, User Access Administrator or Role Based Access Control Administrator*'
        $failures[0].ErrorDetails.Message | Should -BeLike '*astronetes-azure-agent*is kept*'

        $state = Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path state
        @($state.identities | Where-Object name -eq 'astronetes-azure-agent') | Should -HaveCount 1

        $contributor = Get-TestPrincipal Contributor
        Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Method POST -Path grant -Body @{
            principalId = $contributor.ObjectId; roleName = 'Owner'; scope = "/subscriptions/$($script:Emulator.SubscriptionId)"
        } | Out-Null

        $configuration = Invoke-Setup
        $configuration.IdentityAction | Should -Be 'Existing'
        $configuration.RoleAssignmentAction | Should -Be 'Created'
        $configuration.FederatedCredentialAction | Should -Be 'Created'
        $state = Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path state
        @($state.identities | Where-Object name -eq 'astronetes-azure-agent') | Should -HaveCount 1
    }
}
