# The one-line setup against the ARM emulator, as a platform engineer runs it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:AWI_MODULE_PATH -Force
    $script:Emulator = Start-ArmEmulatorProcess
    $script:Subscription = $script:Emulator.SubscriptionId

    function Invoke-Setup {
        # Not an advanced function: errors reach the caller's preference (Stop in this suite) unchanged.
        param([string] $Cluster = 'aks-ready', [switch] $Preview, [switch] $ShowVerbose)
        Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName $Cluster |
            New-AgentManagedIdentity -Name astronetes-azure-agent -WhatIf:$Preview |
            New-AgentRoleAssignment -WhatIf:$Preview |
            New-AgentFederatedCredential -AgentName my-agent -WhatIf:$Preview -Verbose:$ShowVerbose
    }

    function Split-Stream {
        # Output and non-terminating errors of a script block, apart; the suite's Stop preference would end it at the first error.
        param([scriptblock] $Script)
        $ErrorActionPreference = 'Continue'
        $all = @(& $Script 2>&1)
        [pscustomobject]@{
            Output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            Errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
    }

    function Get-AgentIdentity {
        $state = Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path state
        @($state.identities | Where-Object name -eq 'astronetes-azure-agent')
    }
}

AfterAll {
    Stop-ArmEmulatorProcess -Emulator $script:Emulator
}

Describe 'Test-AksWorkloadIdentity | New-AgentManagedIdentity | New-AgentRoleAssignment | New-AgentFederatedCredential' {
    BeforeEach {
        Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Method POST -Path reset
        Connect-TestArmEmulator -Emulator $script:Emulator | Out-Null
    }

    It 'creates one identity, one Reader assignment and one credential, and a re-run writes nothing' {
        $configuration = Invoke-Setup
        $configuration | Should -HaveCount 1
        $configuration.IdentityAction, $configuration.RoleAssignmentAction, $configuration.FederatedCredentialAction | Should -Be @('Created', 'Created', 'Created')

        $state = Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path state
        $identity = @($state.identities | Where-Object name -eq 'astronetes-azure-agent')
        $identity | Should -HaveCount 1
        $configuration.ClientId | Should -Be $identity[0].clientId
        $configuration.TenantId | Should -Be $script:Emulator.TenantId
        $configuration.SubscriptionId | Should -Be $script:Subscription
        $configuration.ServiceAccountName | Should -Be 'my-agent'

        $assignments = @($state.roleAssignments | Where-Object principalId -eq $identity[0].principalId)
        $assignments | Should -HaveCount 1
        $assignments[0].roleDefinitionName | Should -Be 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
        $assignments[0].principalType | Should -Be 'ServicePrincipal'
        $assignments[0].scope | Should -Be "/subscriptions/$script:Subscription"

        $credentials = @($identity[0].federatedIdentityCredentials)
        $credentials | Should -HaveCount 1
        $credentials[0].issuer | Should -BeExactly $configuration.IssuerUrl
        $credentials[0].issuer | Should -Match '/$'
        $credentials[0].subject | Should -BeExactly 'system:serviceaccount:resiliency-system:my-agent'

        $writes = Get-EmulatorWriteCount $script:Emulator
        $again = Invoke-Setup
        Get-EmulatorWriteCount $script:Emulator | Should -Be $writes
        $again.ClientId | Should -Be $configuration.ClientId
        $again.RoleAssignmentId | Should -Be $configuration.RoleAssignmentId
        $again.FederatedCredentialId | Should -Be $configuration.FederatedCredentialId
        $again.IdentityAction | Should -Be 'Existing'
    }

    It 'previews every step under -WhatIf and writes nothing' {
        # In a runspace without a host UI: the "What if:" lines would otherwise print between the runner's results.
        $configuration = Invoke-WithoutHost -Emulator $script:Emulator -Script @'
Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
    New-AgentManagedIdentity -Name astronetes-azure-agent -WhatIf |
    New-AgentRoleAssignment -WhatIf |
    New-AgentFederatedCredential -AgentName my-agent -WhatIf
'@
        $configuration.IdentityAction, $configuration.RoleAssignmentAction, $configuration.FederatedCredentialAction | Should -Be @('Skipped', 'Skipped', 'Skipped')
        $configuration.IssuerUrl | Should -Match '/$'
        Get-EmulatorWriteCount $script:Emulator | Should -Be 0
        Get-AgentIdentity | Should -BeNullOrEmpty
    }

    It 'stops with a clear error and creates nothing on <Cluster>' -ForEach @(
        @{ Cluster = 'aks-no-oidc'; Says = 'OIDC issuer' }
        @{ Cluster = 'aks-no-wi'; Says = 'orkload identity' }
    ) {
        $result = Split-Stream { Invoke-Setup -Cluster $Cluster }
        $result.Output | Should -BeNullOrEmpty
        $failures = $result.Errors
        $failures | Should -Not -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ClusterNotReady,*'
        $failures[0].CategoryInfo.Category | Should -Be 'NotEnabled'
        $failures[0].TargetObject | Should -BeLike "*/managedClusters/$Cluster"
        $failures[0].ErrorDetails.Message | Should -BeLike "*$Says*"
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike 'Enable-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName *'
        Get-EmulatorWriteCount $script:Emulator | Should -Be 0
    }

    It 'rejects <Name> with a terminating error naming the rule and no ARM request' -ForEach @(
        @{ Name = 'ab'; ErrorId = 'IdentityNameInvalid'; Script = { New-AgentManagedIdentity -Name ab -ResourceGroupName rg-astronetes } }
        @{ Name = 'a name with spaces'; ErrorId = 'IdentityNameInvalid'; Script = { New-AgentManagedIdentity -Name 'a name' -ResourceGroupName rg-astronetes } }
        @{ Name = 'a cluster name ending in -'; ErrorId = 'ClusterNameInvalid'; Script = { Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName 'aks-' } }
        @{ Name = 'a subscription that is no GUID'; ErrorId = 'SubscriptionIdInvalid'; Script = { Test-AksWorkloadIdentity rg-astronetes aks-ready -SubscriptionId nope } }
        @{ Name = 'an agent name at the end of the line'; ErrorId = 'ServiceAccountNameInvalid'; Script = {
                Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name fresh-id | New-AgentRoleAssignment | New-AgentFederatedCredential -AgentName my_agent } }
        @{ Name = 'a namespace at the end of the line'; ErrorId = 'NamespaceInvalid'; Script = {
                Test-AksWorkloadIdentity rg-astronetes aks-ready | New-AgentManagedIdentity -Name fresh-id | New-AgentRoleAssignment | New-AgentFederatedCredential -AgentName my-agent -Namespace Bad_NS } }
    ) {
        $before = Get-EmulatorArmRequestCount $script:Emulator
        # Checked in BeginProcessing: the whole line stops (a terminating error) before any command sends a request.
        $failure = { & $Script } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike '*is not valid:*'
        Get-EmulatorArmRequestCount $script:Emulator | Should -Be $before
        (Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path state).identities | Where-Object name -eq 'fresh-id' | Should -BeNullOrEmpty
    }

    It 'shows each ARM call in verbose output and never a token or secret' {
        $verbose = Invoke-Setup -ShowVerbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $verbose | Where-Object { $_ -like 'ARM PUT */federatedIdentityCredentials/* -> 201 *request ID*' } | Should -Not -BeNullOrEmpty
        $principal = Get-TestPrincipal Deployer
        foreach ($line in $verbose) {
            $line | Should -Not -BeLike "*$($principal.Secret)*"
            $line | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}'
            $line | Should -Not -BeLike '*Bearer*'
        }
    }

    It 'returns a configuration that converts to JSON' {
        $json = Invoke-Setup | ConvertTo-Json -WarningAction Stop
        $parsed = $json | ConvertFrom-Json
        $parsed.ServiceAccountName | Should -Be 'my-agent'
        $parsed.Audience | Should -Be 'api://AzureADTokenExchange'
        $parsed.IdentityAction | Should -Be 'Created'
    }

    It 'lets a catch block read the ARM error code, HTTP status and request ID' {
        $caught = $null
        try { Test-AksWorkloadIdentity rg-astronetes aks-missing -ErrorAction Stop }
        catch [AstronetesWorkloadIdentity.Errors.ArmOperationException] { $caught = $_.Exception }
        $caught | Should -Not -BeNullOrEmpty
        $caught.ErrorCode | Should -Be 'ResourceNotFound'
        $caught.StatusCode | Should -Be 404
        $caught.RequestId | Should -Not -BeNullOrEmpty
        $caught.InnerException.GetType().Name | Should -Be 'ArmException'
    }

    It 'reads clusters from CSV rows by property name' {
        $rows = "ResourceGroupName,ClusterName`nrg-astronetes,aks-ready`nrg-astronetes,aks-no-oidc" | ConvertFrom-Csv
        $status = (Split-Stream { $rows | Test-AksWorkloadIdentity }).Output
        $status.ClusterName | Should -Be @('aks-ready', 'aks-no-oidc')
        $status.IsReady | Should -Be @($true, $false)
        $rows | Test-AksWorkloadIdentity -Quiet | Should -Be @($true, $false)
    }
}
