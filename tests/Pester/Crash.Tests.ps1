# A killed process at any point leaves Azure where running the same line again completes the setup with no duplicate.
# (Cancellation at every step boundary and at many random points: tests/AstronetesWorkloadIdentity.Tests/Reliability/CrashTests.cs.)
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../build/ThisPwsh.psm1') -Force
    Import-Module $env:AWI_MODULE_PATH -Force
    $script:Emulator = Start-ArmEmulatorProcess

    function Start-SetupProcess {
        # New-AgentWorkloadIdentity in a pwsh of its own, so that it can be killed like a closed terminal or a stopped CI job.
        $script = @"
Import-Module '$($env:AWI_MODULE_PATH)'
Import-Module '$(Join-Path $PSScriptRoot 'TestHelpers.psm1')'
`$e = `$env:AWI_CRASH_EMULATOR | ConvertFrom-Json
Connect-TestArmEmulator -Emulator `$e | Out-Null
New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName my-agent | Out-Null
"@
        $pwsh = Get-ThisPwshCommand
        $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
        foreach ($a in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.Environment['AWI_CRASH_EMULATOR'] = ($script:Emulator | Select-Object Url, Thumbprint, TenantId, SubscriptionId | ConvertTo-Json -Compress)
        [System.Diagnostics.Process]::Start($psi)
    }

    function Get-ArmAnswerCount {
        @(Get-EmulatorRequest $script:Emulator | Where-Object { $_.path -match '^/subscriptions' -and $_.status -gt 0 }).Count
    }

    function Assert-ExactlyOneSetup {
        $state = Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path state
        $identities = @($state.identities | Where-Object name -eq 'astronetes-azure-agent')
        $identities.Count | Should -Be 1
        @($state.roleAssignments | Where-Object principalId -eq $identities[0].principalId).Count | Should -Be 1
        @($identities[0].federatedIdentityCredentials).Count | Should -Be 1
        $identities[0].federatedIdentityCredentials[0].subject | Should -BeExactly 'system:serviceaccount:resiliency-system:my-agent'
    }
}

AfterAll {
    Stop-ArmEmulatorProcess -Emulator $script:Emulator
}

Describe 'New-AgentWorkloadIdentity killed part-way' {
    # A fresh setup answers 5 ARM requests; kill after 1-4 of them (each answer slowed so the kill lands between steps),
    # and at a random moment (many random points run in-process, where a run costs milliseconds, not a pwsh start).
    It 'a re-run converges to exactly one identity, role assignment and credential when killed <Label>' -ForEach @(
        @{ Label = 'after the cluster and identity reads'; Answers = 2; DelayMs = 400 }
        @{ Label = 'after the identity write'; Answers = 3; DelayMs = 400 }
        @{ Label = 'after the role assignment or credential write'; Answers = 4; DelayMs = 400 }
        # Three sequential round trips of 300 ms each outlast the 0-700 ms wait (at 150 ms, a run whose token came with
        # Connect-AgentAzure could finish inside it).
        @{ Label = 'at a random moment'; Answers = 0; DelayMs = 300 }
    ) {
        Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Method POST -Path reset | Out-Null
        Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Method POST -Path faults -Body @(@{ path = '^/subscriptions/'; delayMs = $DelayMs }) | Out-Null
        $process = Start-SetupProcess
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            if ($Answers -gt 0) {
                while ((Get-ArmAnswerCount) -lt $Answers -and -not $process.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            }
            else {
                # Once the first ARM request has arrived (the process has started and signed in), wait 0-700 ms.
                while (@(Get-EmulatorRequest $script:Emulator | Where-Object { $_.path -match '^/subscriptions' }).Count -eq 0 -and -not $process.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                Start-Sleep -Milliseconds (Get-Random -Minimum 0 -Maximum 700)
            }
            $process.HasExited | Should -BeFalse -Because 'the kill must interrupt the setup, not follow it'
            $process.Kill($true)
            $process.WaitForExit()
        }
        finally { $process.Dispose() }

        Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Method DELETE -Path faults | Out-Null
        $config = Invoke-WithoutHost -Emulator $script:Emulator -Script 'New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName my-agent'
        $config.ServiceAccountName | Should -Be 'my-agent'
        Assert-ExactlyOneSetup
        # And a third run changes nothing.
        $writes = Get-EmulatorWriteCount $script:Emulator
        Invoke-WithoutHost -Emulator $script:Emulator -Script 'New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName my-agent' | Out-Null
        Get-EmulatorWriteCount $script:Emulator | Should -Be $writes
    }
}
