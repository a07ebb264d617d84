# Issue 9, "It works on the PowerShell our users run": PowerShell 7.4 runs on .NET 8, whose System.Text.Json and
# DiagnosticSource (8.0.0.0) are older than the ones Azure.Core and the engine reference (10.0.0.0). PowerShell 7.4
# is not served here, so tests/Net8Host plays its part on a private .NET 8 root laid out from the runtime pack.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../build/ArmEmulatorProcess.psm1') -Force
    $hostFolder = $env:AWI_NET8_HOST
    if (-not $hostFolder -or -not (Test-Path -LiteralPath $hostFolder)) { throw "The .NET 8 host is not built at '$hostFolder'. Run ./build.ps1 -Task Build first." }
    $script:DotnetRoot = Join-Path $hostFolder 'dotnet-root'
    $script:PackVersion = (Get-ChildItem (Join-Path $script:DotnetRoot 'shared/Microsoft.NETCore.App') -Directory | Select-Object -First 1).Name
    $script:Emulator = Start-ArmEmulatorProcess -DllPath $env:AWI_EMULATOR_DLL
    $credential = Get-ArmEmulatorCredential -Emulator $script:Emulator

    $psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $hostFolder ($IsWindows ? 'Net8Host.exe' : 'Net8Host')))
    foreach ($a in @($env:AWI_MODULE_PATH, $script:Emulator.Url, $script:Emulator.Thumbprint, $script:Emulator.TenantId, $script:Emulator.SubscriptionId, $credential.UserName)) {
        $psi.ArgumentList.Add($a)
    }
    # The apphost takes the runtime from DOTNET_ROOT; LatestPatch lets the program's 8.0.0 reference run on the pack's 8.0.x.
    $psi.Environment['DOTNET_ROOT'] = $script:DotnetRoot
    $psi.Environment['DOTNET_ROLL_FORWARD'] = 'LatestPatch'
    $psi.Environment['AWI_CLIENT_SECRET'] = $credential.GetNetworkCredential().Password
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    if (-not $process.WaitForExit(120000)) { $process.Kill(); throw 'The .NET 8 host did not finish within 120 s.' }
    $script:ExitCode = $process.ExitCode
    $script:Output = "$stdout`n$($stderr.GetAwaiter().GetResult())".Trim()
    $line = @($stdout -split "`r?`n" | Where-Object { $_.StartsWith('{') })[-1]
    $script:Report = if ($line) { $line | ConvertFrom-Json } else { $null }
}

AfterAll {
    if ($script:Emulator) { Stop-ArmEmulatorProcess -Emulator $script:Emulator }
}

Describe 'The module on .NET 8, as PowerShell 7.4 loads it' {
    It 'ran on the private .NET 8 root, not on the SDK''s runtime' {
        $script:Report | Should -Not -BeNullOrEmpty -Because $script:Output
        $script:PackVersion | Should -Match '^8\.0\.'
        $script:Report.runtime | Should -Be $script:PackVersion
        $script:Report.defaultSystemTextJson | Should -Be '8.0.0.0' -Because 'the default context holds .NET 8''s own copy, as in pwsh 7.4'
    }

    It 'signs in and reads a cluster through the engine the module''s load context resolved' {
        $script:Report.error | Should -BeNullOrEmpty
        $script:ExitCode | Should -Be 0 -Because $script:Output
        $script:Report.engineContext | Should -Be 'DependencyLoadContext'
        $script:Report.cluster | Should -BeLike "/subscriptions/$($script:Emulator.SubscriptionId)/resourcegroups/rg-astronetes/providers/Microsoft.ContainerService/managedClusters/aks-ready"
    }

    It 'loads our newer System.Text.Json and DiagnosticSource privately, beside the runtime''s' {
        $script:Report.loaded | Should -Contain 'System.Text.Json 10.0.0.0 in DependencyLoadContext'
        $script:Report.loaded | Should -Contain 'System.Diagnostics.DiagnosticSource 10.0.0.0 in DependencyLoadContext'
        $script:Report.loaded | Should -Contain 'System.Text.Json 8.0.0.0 in DefaultAssemblyLoadContext'
    }

    It 'keeps the runtime''s copy where it is new enough (System.Memory 8.0 for our 4.0)' {
        @($script:Report.loaded | Where-Object { $_ -like 'System.Memory *' }) | Should -Be @('System.Memory 8.0.0.0 in DefaultAssemblyLoadContext')
    }
}
