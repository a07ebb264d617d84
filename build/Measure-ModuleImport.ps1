<#
.SYNOPSIS
Measures what the module adds to pwsh start and what its first ARM call costs, beside PSResourceGet.

.DESCRIPTION
Runs fresh pwsh processes repeatedly and reports medians:
  - pwsh start alone (pwsh -NoProfile -Command 1);
  - pwsh + Import-Module of this module;
  - pwsh + Import-Module Microsoft.PowerShell.PSResourceGet (a comparable binary module with Azure
    dependencies, shipped with pwsh);
  - inside one process: Import-Module alone, whether Azure.Core is loaded after it, and the first
    Test-AksWorkloadIdentity call against the ARM emulator (token request included).
Then prints the ratios and whether the import goal (under 50 ms added to pwsh start) is met.
Figures, not assertions: tests never time anything.

.PARAMETER ModulePath
The built module folder.

.PARAMETER EmulatorDll
The built ArmEmulator.dll.

.PARAMETER Runs
How many fresh processes per measurement.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorDll,
    [int] $Runs = 15
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'ArmEmulatorProcess.psm1')
Import-Module (Join-Path $PSScriptRoot 'ThisPwsh.psm1')
# Import-Module reads a relative path without './' as a module name.
$ModulePath = (Resolve-Path $ModulePath).Path

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $mid = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
}

function Measure-Processes([string[]] $Commands) {
    # Round-robin, so drift on a shared machine (noisy neighbours, thermal) hits every command alike.
    $times = @{}
    foreach ($command in $Commands) {
        $times[$command] = [System.Collections.Generic.List[double]]::new()
        Invoke-ThisPwsh -Command $command | Out-Null   # warm the disk cache
    }
    foreach ($i in 1..$Runs) {
        foreach ($command in $Commands) {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            Invoke-ThisPwsh -Command $command | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "'$command' failed with exit code $LASTEXITCODE." }
            $times[$command].Add($watch.Elapsed.TotalMilliseconds)
        }
    }
    foreach ($command in $Commands) { Get-Median $times[$command] }
}

$emulator = Start-ArmEmulatorProcess -DllPath $EmulatorDll
try {
    $deployer = Get-ArmEmulatorCredential -Emulator $emulator
    # The floor any manifest module pays: our assembly behind a three-key manifest (no formats, no help).
    $floorModule = Join-Path ([System.IO.Path]::GetTempPath()) "awi-floor-$([guid]::NewGuid().ToString('n'))/AstronetesWorkloadIdentity"
    New-Item -ItemType Directory $floorModule | Out-Null
    Copy-Item (Join-Path $ModulePath 'AstronetesWorkloadIdentity.dll') $floorModule
    Set-Content (Join-Path $floorModule 'AstronetesWorkloadIdentity.psd1') "@{ RootModule = 'AstronetesWorkloadIdentity.dll'; ModuleVersion = '0.0.1'; CmdletsToExport = @('Test-AksWorkloadIdentity') }"
    $baseline, $ours, $floor, $psrg = Measure-Processes @('1', "Import-Module '$ModulePath'", "Import-Module '$floorModule'", 'Import-Module Microsoft.PowerShell.PSResourceGet')
    Remove-Item (Split-Path $floorModule) -Recurse -Force

    $inProcess = @'
param($ModulePath, $Url, $Thumbprint, $TenantId, $SubscriptionId, $ClientId)
$ErrorActionPreference = 'Stop'
$import = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
$import.Stop()
$azureCoreAfterImport = @([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Azure.Core' }).Count -gt 0
$credential = [pscredential]::new($ClientId, (ConvertTo-SecureString $env:AWI_BENCH_SECRET -AsPlainText -Force))
Connect-AgentAzure -ArmEndpoint $Url -AuthorityHost $Url -TrustedCertificateThumbprint $Thumbprint -TenantId $TenantId -SubscriptionId $SubscriptionId -ServicePrincipal -Credential $credential | Out-Null
$first = [System.Diagnostics.Stopwatch]::StartNew()
Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -Quiet | Out-Null
$first.Stop()
$second = [System.Diagnostics.Stopwatch]::StartNew()
Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -Quiet | Out-Null
$second.Stop()
[pscustomobject]@{ ImportMs = $import.Elapsed.TotalMilliseconds; AzureCoreAfterImport = $azureCoreAfterImport; FirstCallMs = $first.Elapsed.TotalMilliseconds; SecondCallMs = $second.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress
'@
    # The secret goes by environment, never on a command line; a script block (not a string) is what
    # lets pwsh pass -args to -Command.
    $env:AWI_BENCH_SECRET = $deployer.GetNetworkCredential().Password
    $inProcessBlock = [scriptblock]::Create($inProcess)
    $samples = foreach ($i in 1..$Runs) {
        $json = Invoke-ThisPwsh -Command $inProcessBlock -args $ModulePath, $emulator.Url, $emulator.Thumbprint, $emulator.TenantId, $emulator.SubscriptionId, $deployer.UserName
        if ($LASTEXITCODE -ne 0) { throw "The in-process measurement failed: $json" }
        $json | ConvertFrom-Json
    }
}
finally {
    Remove-Item Env:AWI_BENCH_SECRET -ErrorAction Ignore
    Stop-ArmEmulatorProcess -Emulator $emulator
}

$added = $ours - $baseline
$psrgAdded = $psrg - $baseline
$importMs = Get-Median ($samples.ImportMs)
$firstMs = Get-Median ($samples.FirstCallMs)
$secondMs = Get-Median ($samples.SecondCallMs)
$azureCoreEarly = @($samples | Where-Object AzureCoreAfterImport).Count

Write-Host ("Medians over {0} fresh pwsh processes each" -f $Runs)
[pscustomobject]@{ Measurement = 'pwsh start alone'; Milliseconds = [Math]::Round($baseline, 1); Ratio = 1.0 },
[pscustomobject]@{ Measurement = 'pwsh + Import-Module AstronetesWorkloadIdentity'; Milliseconds = [Math]::Round($ours, 1); Ratio = [Math]::Round($ours / $baseline, 3) },
[pscustomobject]@{ Measurement = 'pwsh + Import-Module of a bare three-key manifest (floor)'; Milliseconds = [Math]::Round($floor, 1); Ratio = [Math]::Round($floor / $baseline, 3) },
[pscustomobject]@{ Measurement = 'pwsh + Import-Module PSResourceGet'; Milliseconds = [Math]::Round($psrg, 1); Ratio = [Math]::Round($psrg / $baseline, 3) },
[pscustomobject]@{ Measurement = 'Import-Module AstronetesWorkloadIdentity (in process)'; Milliseconds = [Math]::Round($importMs, 1); Ratio = $null },
[pscustomobject]@{ Measurement = 'first Test-AksWorkloadIdentity (token + GET)'; Milliseconds = [Math]::Round($firstMs, 1); Ratio = $null },
[pscustomobject]@{ Measurement = 'second Test-AksWorkloadIdentity'; Milliseconds = [Math]::Round($secondMs, 1); Ratio = [Math]::Round($secondMs / $firstMs, 3) } |
    Format-Table -AutoSize | Out-String | Write-Host
Write-Host ("Import adds {0:N1} ms to pwsh start (goal: under 50 ms: {1}); PSResourceGet adds {2:N1} ms; ours/PSResourceGet = {3:N2}" -f $added, $(if ($added -lt 50) { 'met' } else { 'MISSED' }), $psrgAdded, ($added / [Math]::Max($psrgAdded, 0.001)))
Write-Host ("Of that, pwsh's own manifest processing (the floor) is {0:N1} ms; our manifest, formats and help add {1:N1} ms beyond it" -f ($floor - $baseline), ($ours - $floor))
Write-Host ("Azure.Core loaded by Import-Module alone: {0} of {1} runs (goal: 0)" -f $azureCoreEarly, $Runs)
