<#
.SYNOPSIS
One fresh pwsh session of the benchmark: imports the module, connects to the ARM emulator and times one kind of work.

.DESCRIPTION
Run by build/Invoke-Bench.ps1 in its own process, so that what is "first" really is first. Prints one JSON line:
every timed piece with its wall time and its UTC start and end, so the caller can cut the emulator's request log
into the requests each piece sent. The service principal's secret comes in AWI_BENCH_SECRET, never on a command line.

Modes:
  FirstCall  Connect-AgentAzure (which signs in: one token request), then the first and the second
             Test-AksWorkloadIdentity of the session (one GET each).
  Scenarios  the one-shot command cold (first after connecting), then warm: one-shot fresh, re-run, -WhatIf; the
             chained line fresh and re-run; the same steps as separate statements, fresh.
  Bulk       -Count agents, each on its own identity, piped into New-AgentWorkloadIdentity -ThrottleLimit.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('FirstCall', 'Scenarios', 'Bulk')] [string] $Mode,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $Thumbprint,
    [Parameter(Mandatory)] [string] $TenantId,
    [Parameter(Mandatory)] [string] $SubscriptionId,
    [Parameter(Mandatory)] [string] $ClientId,
    # Makes every identity name of this session unique on the emulator.
    [Parameter(Mandatory)] [string] $Tag,
    [int] $Count = 100,
    [int] $ThrottleLimit = 4
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$rg = 'rg-astronetes'
$cluster = 'aks-ready'

$timed = [ordered]@{}
function Measure-Piece([string] $Name, [scriptblock] $Work) {
    $start = [DateTimeOffset]::UtcNow
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $null = & $Work
    $watch.Stop()
    $timed[$Name] = [ordered]@{ Ms = $watch.Elapsed.TotalMilliseconds; Start = $start.ToString('o'); End = [DateTimeOffset]::UtcNow.ToString('o') }
}

$import = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
$import.Stop()
$azureCoreAfterImport = @([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Azure.Core' }).Count -gt 0
$credential = [pscredential]::new($ClientId, (ConvertTo-SecureString $env:AWI_BENCH_SECRET -AsPlainText -Force))
# Connect signs in with the service principal (one token request), so it carries the session's first HTTP and MSAL costs.
Measure-Piece 'Connect' {
    Connect-AgentAzure -ArmEndpoint $Url -AuthorityHost $Url -TrustedCertificateThumbprint $Thumbprint -TenantId $TenantId `
        -SubscriptionId $SubscriptionId -ServicePrincipal -Credential $credential
}

switch ($Mode) {
    'FirstCall' {
        Measure-Piece 'FirstTest' { Test-AksWorkloadIdentity -ResourceGroupName $rg -ClusterName $cluster -Quiet }
        Measure-Piece 'SecondTest' { Test-AksWorkloadIdentity -ResourceGroupName $rg -ClusterName $cluster -Quiet }
    }
    'Scenarios' {
        $oneShot = { param($Name, [switch] $WhatIf) New-AgentWorkloadIdentity -ResourceGroupName $rg -ClusterName $cluster -AgentName $Name -IdentityName "id-$Tag-$Name" -WhatIf:$WhatIf }
        $chained = {
            param($Name)
            Test-AksWorkloadIdentity -ResourceGroupName $rg -ClusterName $cluster |
                New-AgentManagedIdentity -Name "id-$Tag-$Name" |
                New-AgentRoleAssignment |
                New-AgentFederatedCredential -AgentName $Name
        }
        $stepByStep = {
            param($Name)
            $status = Test-AksWorkloadIdentity -ResourceGroupName $rg -ClusterName $cluster
            $identity = $status | New-AgentManagedIdentity -Name "id-$Tag-$Name"
            $assigned = $identity | New-AgentRoleAssignment
            $assigned | New-AgentFederatedCredential -AgentName $Name
        }
        Measure-Piece 'OneShotCold' { & $oneShot 'cold' }
        & $oneShot 'warmup' | Out-Null
        & $chained 'warmup-chain' | Out-Null
        Measure-Piece 'OneShotFresh' { & $oneShot 'oneshot' }
        Measure-Piece 'OneShotRerun' { & $oneShot 'oneshot' }
        Measure-Piece 'OneShotWhatIf' { & $oneShot 'whatif' -WhatIf 6>$null }
        Measure-Piece 'ChainedFresh' { & $chained 'chained' }
        Measure-Piece 'ChainedRerun' { & $chained 'chained' }
        Measure-Piece 'StepByStepFresh' { & $stepByStep 'steps' }
    }
    'Bulk' {
        $rows = foreach ($i in 1..$Count) {
            [pscustomobject]@{ ResourceGroupName = $rg; ClusterName = $cluster; AgentName = "agent-$i"; IdentityName = "id-$Tag-$i" }
        }
        $failures = 0
        # The session's first call pays for JIT and sign-in (measured apart above): bulk is timed warm.
        New-AgentWorkloadIdentity -ResourceGroupName $rg -ClusterName $cluster -AgentName 'warmup' -IdentityName "id-$Tag-warmup" | Out-Null
        Measure-Piece 'Bulk' {
            $out = @($rows | New-AgentWorkloadIdentity -ThrottleLimit $ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable bulkErrors)
            $script:failures = @($bulkErrors).Count + ($Count - $out.Count)
        }
        $timed['Bulk']['Failures'] = $failures
    }
}

$result = [ordered]@{
    ImportMs             = $import.Elapsed.TotalMilliseconds
    AzureCoreAfterImport = $azureCoreAfterImport
    PeakWorkingSetMB     = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB
    Pieces               = $timed
} | ConvertTo-Json -Compress -Depth 5
# Under a tracer (dotnet-trace collect -- ...) stdout may not come back: AWI_BENCH_OUT names a file for it too.
if ($env:AWI_BENCH_OUT) { Set-Content -LiteralPath $env:AWI_BENCH_OUT $result }
$result
