# The agent's whole life in pwsh against the emulator process: bulk setup from a CSV file, audit, removal.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:AWI_MODULE_PATH -Force
    $script:Emulator = Start-ArmEmulatorProcess
}

AfterAll {
    Stop-ArmEmulatorProcess -Emulator $script:Emulator
}

Describe 'Import-Csv | New-AgentWorkloadIdentity' {
    BeforeEach {
        Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Method POST -Path reset
        Connect-TestArmEmulator -Emulator $script:Emulator | Out-Null
    }

    It 'sets up 20 agents from a CSV file, output in input order, and a re-run writes nothing' {
        $csv = Join-Path $TestDrive 'agents.csv'
        1..20 | ForEach-Object {
            [pscustomobject]@{ ResourceGroupName = 'rg-astronetes'; ClusterName = 'aks-ready'; AgentName = 'agent-{0:00}' -f $_; IdentityName = 'astronetes-team-{0}' -f ($_ % 3) }
        } | Export-Csv -LiteralPath $csv -NoTypeInformation

        $configurations = @(Import-Csv -LiteralPath $csv | New-AgentWorkloadIdentity -ThrottleLimit 3)

        $configurations | Should -HaveCount 20
        $configurations.ServiceAccountName | Should -Be (1..20 | ForEach-Object { 'agent-{0:00}' -f $_ })
        $configurations | ForEach-Object { $_.FederatedCredentialAction | Should -Be 'Created' }
        $state = Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path state
        $state.identities | Should -HaveCount 3
        ($state.identities | ForEach-Object { $_.federatedIdentityCredentials.Count } | Measure-Object -Sum).Sum | Should -Be 20
        foreach ($configuration in $configurations) {
            $identity = $state.identities | Where-Object name -eq $configuration.IdentityName
            $configuration.ClientId | Should -Be $identity.clientId
            $identity.federatedIdentityCredentials.subject | Should -Contain ('system:serviceaccount:resiliency-system:' + $configuration.ServiceAccountName)
        }

        $before = @(Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path requests).Count
        $again = @(Import-Csv -LiteralPath $csv | New-AgentWorkloadIdentity)
        $again | ForEach-Object { $_.FederatedCredentialAction | Should -Be 'Existing' }
        $requests = @(Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path requests) | Select-Object -Skip $before
        @($requests | Where-Object method -in 'PUT', 'PATCH', 'DELETE') | Should -HaveCount 0
    }

    It 'audits every agent of the cluster and removes them all, leaving nothing' {
        'agent-a', 'agent-b' | ForEach-Object { New-AgentWorkloadIdentity rg-astronetes aks-ready $_ } | Out-Null

        $checks = @(Get-AgentWorkloadIdentity rg-astronetes aks-ready | Test-AgentWorkloadIdentity)
        $checks | Should -HaveCount 18
        @($checks | Where-Object Result -ne 'Pass') | Should -HaveCount 0

        Get-AgentWorkloadIdentity rg-astronetes aks-ready | Remove-AgentWorkloadIdentity -Confirm:$false -WarningAction SilentlyContinue | Out-Null

        $state = Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path state
        @($state.identities) | Should -HaveCount 0
        @(Get-AgentWorkloadIdentity rg-astronetes aks-ready) | Should -HaveCount 0
    }
}
