<#
.SYNOPSIS
The benchmark: one table of medians, each beside its baseline and its goal, also written as JSON to out/bench/.

.DESCRIPTION
Every figure is a median over -Runs fresh pwsh processes, and its baseline is measured in the same run:
  Import        pwsh start alone, + Import-Module of this module, of a bare three-key manifest over the same
                assembly (the floor any manifest pays), of PSResourceGet (a comparable binary module).
  First call    the first Test-AksWorkloadIdentity of a session against the second, plus one token round trip.
  Scenarios     requests, writes, token requests and sequential round trips (from the emulator's request log),
                and wall time at 0 and -LatencyMs ms added to every ARM answer, for the one-shot command (cold and
                warm, fresh, re-run, -WhatIf), the chained line and the same steps as separate statements.
  Bulk          -BulkCount agents through New-AgentWorkloadIdentity at -ThrottleLimit 4, 16 and 64, and -LargeBulkCount
                at 16, against the minimum ARM's and managed identity's documented limits allow; peak working set at
                10 agents, -BulkCount and -LargeBulkCount, so growth with N shows.
Figures, not assertions: tests never time anything.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorDll,
    [Parameter(Mandatory)] [string] $OutputFolder,
    [int] $Runs = 5,
    # Import is cheap to repeat and noisy: more fresh processes for its medians.
    [int] $ImportRuns = 15,
    [int] $LatencyMs = 100,
    [int] $BulkCount = 100,
    # The largest bulk run, at the higher -ThrottleLimit only: memory and pacing as N grows.
    [int] $LargeBulkCount = 500,
    # Emulated seconds per real second for the bulk runs, so minutes of Azure's limits pass in seconds.
    [double] $BulkTimeScale = 10,
    # Only some parts, while working on one of them; such a run writes its timestamped JSON but not latest.json/latest.md.
    [ValidateSet('Import', 'FirstCall', 'Scenarios', 'Bulk')] [string[]] $Section = @('Import', 'FirstCall', 'Scenarios', 'Bulk')
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'ArmEmulatorProcess.psm1')
Import-Module (Join-Path $PSScriptRoot 'ThisPwsh.psm1')
Import-Module (Join-Path $PSScriptRoot 'Bench/BenchMath.psm1')
# Import-Module reads a relative path without './' as a module name.
$ModulePath = (Resolve-Path $ModulePath).Path
$session = Join-Path $PSScriptRoot 'Bench/Invoke-BenchSession.ps1'
$started = [DateTimeOffset]::UtcNow

function Measure-Processes([string[]] $Commands, [int] $Times = $Runs) {
    # Round-robin, so drift on a shared machine (noisy neighbours, thermal) hits every command alike. Each result has
    # the process's wall time and, where the command prints one number last, that number (a time taken inside it).
    $wall = @{}; $inner = @{}
    foreach ($command in $Commands) {
        $wall[$command] = [System.Collections.Generic.List[double]]::new()
        $inner[$command] = [System.Collections.Generic.List[double]]::new()
        Invoke-ThisPwsh -Command $command | Out-Null   # warm the disk cache
    }
    foreach ($i in 1..$Times) {
        foreach ($command in $Commands) {
            # pwsh saves a start-up JIT profile at exit (StartupProfileData-NonInteractive) that the next pwsh replays: a
            # command measured right after another inherits that one's profile (measured: 50-70 ms either way on import).
            # So each measured run follows an unmeasured run of the same command.
            Invoke-ThisPwsh -Command $command | Out-Null
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $printed = @(Invoke-ThisPwsh -Command $command)
            if ($LASTEXITCODE -ne 0) { throw "'$command' failed with exit code $LASTEXITCODE." }
            $wall[$command].Add($watch.Elapsed.TotalMilliseconds)
            $number = 0.0
            if ($printed.Count -and [double]::TryParse("$($printed[-1])", [System.Globalization.NumberStyles]::Float, [cultureinfo]::InvariantCulture, [ref] $number)) {
                $inner[$command].Add($number)
            }
        }
    }
    foreach ($command in $Commands) {
        [pscustomobject]@{ Wall = Get-Median $wall[$command]; Inner = if ($inner[$command].Count) { Get-Median $inner[$command] } else { $null }; InnerSamples = $inner[$command] }
    }
}

function Invoke-Session([string] $Mode, [string] $Tag, [hashtable] $Extra = @{}) {
    $arguments = @('-File', $session, '-Mode', $Mode, '-ModulePath', $ModulePath, '-Url', $emulator.Url, '-Thumbprint', $emulator.Thumbprint,
        '-TenantId', $emulator.TenantId, '-SubscriptionId', $emulator.SubscriptionId, '-ClientId', $deployer.UserName, '-Tag', $Tag)
    foreach ($key in $Extra.Keys) { $arguments += "-$key"; $arguments += "$($Extra[$key])" }
    $lines = Invoke-ThisPwsh @arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "Bench session $Mode failed: $($lines -join [Environment]::NewLine)" }
    @($lines)[-1] | ConvertFrom-Json
}

function Reset-Emulator([int] $Latency) {
    # Reset clears state, log and faults; latency is then a fault rule that only delays every ARM answer.
    Invoke-ArmEmulatorAdmin -Emulator $emulator -Method POST -Path reset | Out-Null
    if ($Latency -gt 0) {
        Invoke-ArmEmulatorAdmin -Emulator $emulator -Method POST -Path faults -Body @(@{ path = '^/subscriptions/'; delayMs = $Latency }) | Out-Null
    }
}

function Measure-TokenRoundTrip {
    # A warm client-credentials token request: what one token costs on the wire, without any client start-up.
    $uri = "$($emulator.Url.TrimEnd('/'))/$($emulator.TenantId)/oauth2/v2.0/token"
    $times = foreach ($i in 0..$Runs) {
        $fields = [System.Collections.Generic.Dictionary[string, string]]::new()
        $fields['grant_type'] = 'client_credentials'; $fields['client_id'] = $deployer.UserName
        $fields['client_secret'] = $env:AWI_BENCH_SECRET; $fields['scope'] = "$($emulator.Url.TrimEnd('/'))/.default"
        $form = [System.Net.Http.FormUrlEncodedContent]::new($fields)
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $response = $emulator.AdminClient.PostAsync($uri, $form).GetAwaiter().GetResult()
        $watch.Stop()
        if (-not $response.IsSuccessStatusCode) { throw "The token endpoint answered $([int]$response.StatusCode)." }
        if ($i -gt 0) { $watch.Elapsed.TotalMilliseconds }
    }
    Get-Median $times
}

# Emulated seconds the emulator's limits (tests/ArmEmulator/Throttling/Limits.cs) allow for N fresh agents, one identity each.
function Get-BulkMinimumSeconds([int] $Agents) {
    $identityCreations = [Math]::Floor(($Agents - 1) / 80) * 20          # 80 creations per 20 s per subscription and region
    $identityWrites = [Math]::Max(0, $Agents - 2) / 2                     # identity create/update calls per subscription: 2, refilled 2/s
    $armReads = [Math]::Max(0, 2 * $Agents - 250) / 25                    # two reads each (cluster, identity); ARM read bucket: 250, refilled 25/s
    $armWrites = [Math]::Max(0, 3 * $Agents - 200) / 10                   # ARM write bucket: 200, refilled 10/s
    [Math]::Max([Math]::Max($identityCreations, $identityWrites), [Math]::Max($armWrites, $armReads))
}

$rows = [System.Collections.Generic.List[object]]::new()
function Add-Row([string] $Group, [string] $Measurement, [double] $Value, [string] $Unit, $Baseline, [string] $BaselineName, [string] $Goal, $Met, [string] $Note = '') {
    $ratio = if ($null -ne $Baseline -and $Baseline -ne 0) { [Math]::Round($Value / $Baseline, 2) } else { $null }
    $rows.Add([pscustomobject][ordered]@{
            Group = $Group; Measurement = $Measurement; Value = [Math]::Round($Value, 1); Unit = $Unit
            Baseline = if ($null -ne $Baseline) { [Math]::Round([double]$Baseline, 1) } else { $null }; BaselineIs = $BaselineName
            Ratio = $ratio; Goal = $Goal; Met = $Met; Note = $Note
        })
}

$emulator = Start-ArmEmulatorProcess -DllPath $EmulatorDll
try {
    $deployer = Get-ArmEmulatorCredential -Emulator $emulator
    # The secret goes by environment, never on a command line.
    $env:AWI_BENCH_SECRET = $deployer.GetNetworkCredential().Password

    if ($Section -contains 'Import') {
        Write-Host 'Import ...'
        # The floor: a bare three-key manifest over our assembly exporting the same cmdlets, so it is what any manifest
        # module with these commands pays; what our module adds beyond it (manifest keys, files, initializer) is ours.
        $floorModule = Join-Path ([System.IO.Path]::GetTempPath()) "awi-floor-$([guid]::NewGuid().ToString('n'))/AstronetesWorkloadIdentity"
        New-Item -ItemType Directory $floorModule | Out-Null
        Copy-Item (Join-Path $ModulePath 'AstronetesWorkloadIdentity.dll') $floorModule
        $cmdlets = (Import-PowerShellDataFile (Join-Path $ModulePath 'AstronetesWorkloadIdentity.psd1')).CmdletsToExport
        Set-Content (Join-Path $floorModule 'AstronetesWorkloadIdentity.psd1') ("@{{ RootModule = 'AstronetesWorkloadIdentity.dll'; ModuleVersion = '0.0.1'; CmdletsToExport = @({0}) }}" -f (($cmdlets | ForEach-Object { "'$_'" }) -join ', '))
        # Import-Module's own time, printed from inside the process: the process's wall time swings by tens of ms run to run.
        $timed = '$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module ''{0}''; [Console]::Out.WriteLine($w.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture))'
        try {
            $pwshAlone, $ours, $floor, $psrg = Measure-Processes -Times $ImportRuns @('1', ($timed -f $ModulePath), ($timed -f $floorModule), ($timed -f 'Microsoft.PowerShell.PSResourceGet'))
        }
        finally { Remove-Item (Split-Path $floorModule) -Recurse -Force }
        # Paired: each round's difference, so drift over the run cancels; the median of those is the verdict.
        $overFloor = Get-Median @(for ($i = 0; $i -lt $ours.InnerSamples.Count; $i++) { $ours.InnerSamples[$i] - $floor.InnerSamples[$i] })
        Add-Row Import 'pwsh start alone' $pwshAlone.Wall ms $null '' '' $null
        Add-Row Import 'pwsh + bare manifest, same assembly and cmdlets (floor)' $floor.Wall ms $pwshAlone.Wall 'pwsh alone' '' $null
        Add-Row Import 'pwsh + Import-Module AstronetesWorkloadIdentity' $ours.Wall ms $floor.Wall 'floor' '' $null
        Add-Row Import 'Import-Module alone: floor' $floor.Inner ms $null '' '' $null
        Add-Row Import 'Import-Module alone: AstronetesWorkloadIdentity' $ours.Inner ms $floor.Inner 'floor' 'floor + 20 ms' ($overFloor -le 20) ("{0:N1} ms over the floor (median of {1} paired rounds)" -f $overFloor, $ours.InnerSamples.Count)
        Add-Row Import 'Import-Module alone: PSResourceGet' $psrg.Inner ms $floor.Inner 'floor' '' $null
        Add-Row Import 'pwsh + Import-Module PSResourceGet' $psrg.Wall ms $pwshAlone.Wall 'pwsh alone' '' $null ("ours adds {0:N0} ms, PSResourceGet {1:N0} ms" -f ($ours.Wall - $pwshAlone.Wall), ($psrg.Wall - $pwshAlone.Wall))
    }

    if ($Section -contains 'FirstCall') {
        Write-Host 'First call ...'
        Reset-Emulator 0
        $token = Measure-TokenRoundTrip
        $first = foreach ($i in 1..$Runs) { Invoke-Session FirstCall "first$i" }
        $azureCoreEarly = @($first | Where-Object AzureCoreAfterImport).Count
        Add-Row Import 'Import-Module in process' (Get-Median $first.ImportMs) ms $null '' 'Azure.Core not loaded' ($azureCoreEarly -eq 0) "Azure.Core loaded by import in $azureCoreEarly of $Runs runs"
        $firstMs = Get-Median ($first | ForEach-Object { $_.Pieces.FirstTest.Ms })
        $secondMs = Get-Median ($first | ForEach-Object { $_.Pieces.SecondTest.Ms })
        Add-Row 'First call' 'token round trip (warm client)' $token ms $null '' '' $null
        Add-Row 'First call' 'second Test-AksWorkloadIdentity' $secondMs ms $null '' '' $null
        $connectMs = Get-Median ($first | ForEach-Object { $_.Pieces.Connect.Ms })
        $firstLimit = $secondMs + $token + 150
        Add-Row 'First call' 'first Test-AksWorkloadIdentity' $firstMs ms ($secondMs + $token) 'second + token' 'second + token + 150 ms' ($firstMs -le $firstLimit) ("{0:N0} ms over second + token" -f ($firstMs - $secondMs - $token))
        # Connect-AgentAzure signs in (the token request, MSAL's and the HTTP stack's first use), so it is shown beside the
        # first call: the two together are what a fresh session waits for before its first answer.
        Add-Row 'First call' 'Connect-AgentAzure (signs in: one token request)' $connectMs ms $null '' '' $null
        Add-Row 'First call' 'Connect-AgentAzure + first Test-AksWorkloadIdentity' ($connectMs + $firstMs) ms $null '' '' $null
    }

    if ($Section -contains 'Scenarios') {
        $scenarioGoals = @{
            OneShotCold   = @{ Name = 'one-shot, first in session'; Requests = 6; RoundTrips = 3; Tokens = 1; Writes = 3 }
            OneShotFresh  = @{ Name = 'one-shot, fresh'; Requests = 6; RoundTrips = 3; Writes = 3 }
            OneShotRerun  = @{ Name = 'one-shot, re-run'; Requests = 4; RoundTrips = 2; Writes = 0 }
            OneShotWhatIf = @{ Name = 'one-shot, -WhatIf'; Writes = 0 }
            ChainedFresh  = @{ Name = 'chained line, fresh' }
            ChainedRerun  = @{ Name = 'chained line, re-run'; Writes = 0 }
            StepByStepFresh = @{ Name = 'separate steps, fresh' }
        }
        $scenarios = [ordered]@{}
        foreach ($latency in @(0, $LatencyMs)) {
            Write-Host "Scenarios at $latency ms ..."
            foreach ($i in 1..$Runs) {
                Reset-Emulator $latency
                $result = Invoke-Session Scenarios "s$latency-$i"
                $log = @((Invoke-ArmEmulatorAdmin -Emulator $emulator -Path requests) | ForEach-Object { $_ })
                foreach ($piece in $result.Pieces.PSObject.Properties) {
                    $counts = Measure-RequestLog -Log $log -Start ([DateTimeOffset]$piece.Value.Start) -End ([DateTimeOffset]$piece.Value.End)
                    $key = "$($piece.Name)@$latency"
                    if (-not $scenarios.Contains($key)) { $scenarios[$key] = [System.Collections.Generic.List[object]]::new() }
                    $scenarios[$key].Add([pscustomobject]@{ Ms = $piece.Value.Ms; Counts = $counts })
                }
            }
        }
        foreach ($name in @('OneShotCold', 'OneShotFresh', 'OneShotRerun', 'OneShotWhatIf', 'ChainedFresh', 'ChainedRerun', 'StepByStepFresh')) {
            $goal = $scenarioGoals[$name]
            $samples = $scenarios["$name@$LatencyMs"]
            $c = $samples[0].Counts
            $requestsMedian = Get-Median ($samples | ForEach-Object { $_.Counts.Requests })
            $tripsMedian = Get-Median ($samples | ForEach-Object { $_.Counts.SequentialRoundTrips })
            $writesMedian = Get-Median ($samples | ForEach-Object { $_.Counts.Writes })
            $tokensMedian = Get-Median ($samples | ForEach-Object { $_.Counts.TokenRequests })
            $goalText = @(); $met = $true
            if ($goal.ContainsKey('Requests')) { $goalText += "<= $($goal.Requests) requests"; $met = $met -and $requestsMedian -le $goal.Requests }
            if ($goal.ContainsKey('RoundTrips')) { $goalText += "<= $($goal.RoundTrips) round trips"; $met = $met -and $tripsMedian -le $goal.RoundTrips }
            if ($goal.ContainsKey('Writes')) { $goalText += "$($goal.Writes) writes"; $met = $met -and $writesMedian -le $goal.Writes }
            if ($goal.ContainsKey('Tokens')) { $goalText += "$($goal.Tokens) token request"; $met = $met -and $tokensMedian -le $goal.Tokens }
            Add-Row 'Round trips' $goal.Name $tripsMedian 'trips' $null '' ($goalText -join ', ') $(if ($goalText) { $met } else { $null }) `
                ("{0} requests ({1} writes), {2} token requests" -f $requestsMedian, $writesMedian, $tokensMedian)
        }
        $fresh0 = Get-Median ($scenarios['StepByStepFresh@0'] | ForEach-Object Ms)
        $freshL = Get-Median ($scenarios["StepByStepFresh@$LatencyMs"] | ForEach-Object Ms)
        foreach ($name in @('OneShotCold', 'OneShotFresh', 'OneShotRerun', 'OneShotWhatIf', 'ChainedFresh', 'ChainedRerun', 'StepByStepFresh')) {
            foreach ($latency in @(0, $LatencyMs)) {
                $ms = Get-Median ($scenarios["$name@$latency"] | ForEach-Object Ms)
                $base = if ($latency -eq 0) { $fresh0 } else { $freshL }
                $goal = ''; $met = $null
                if ($latency -eq $LatencyMs -and $name -in 'OneShotCold', 'OneShotFresh') { $goal = '< 500 ms'; $met = $ms -lt 500 }
                Add-Row "Wall time at $latency ms" $scenarioGoals[$name].Name $ms ms $base 'separate steps, fresh' $goal $met
            }
        }
    }

    if ($Section -contains 'Bulk') {
        Write-Host "Bulk ($BulkCount and $LargeBulkCount agents, emulator with identity limits at time scale $BulkTimeScale) ..."
        # Its own emulator: ARM's buckets and the managed-identity limits on, time running -BulkTimeScale times faster.
        Stop-ArmEmulatorProcess -Emulator $emulator
        $emulator = Start-ArmEmulatorProcess -DllPath $EmulatorDll -ArgumentList '--identity-limits', '--time-scale', "$BulkTimeScale"
        $deployer = Get-ArmEmulatorCredential -Emulator $emulator
        $env:AWI_BENCH_SECRET = $deployer.GetNetworkCredential().Password
        $bulk = [ordered]@{}
        foreach ($case in @(@{ Count = 10; Throttle = 4 }, @{ Count = $BulkCount; Throttle = 4 }, @{ Count = $BulkCount; Throttle = 16 }, @{ Count = $BulkCount; Throttle = 64 }, @{ Count = $LargeBulkCount; Throttle = 16 })) {
            Reset-Emulator 0
            $result = Invoke-Session Bulk "b$($case.Count)t$($case.Throttle)" @{ Count = $case.Count; ThrottleLimit = $case.Throttle }
            $log = @((Invoke-ArmEmulatorAdmin -Emulator $emulator -Path requests) | ForEach-Object { $_ })
            $counts = Measure-RequestLog -Log $log -Start ([DateTimeOffset]$result.Pieces.Bulk.Start) -End ([DateTimeOffset]$result.Pieces.Bulk.End)
            $bulk["$($case.Count)x$($case.Throttle)"] = [pscustomobject]@{ Ms = $result.Pieces.Bulk.Ms; Failures = $result.Pieces.Bulk.Failures; PeakWorkingSetMB = $result.PeakWorkingSetMB; Counts = $counts }
        }
        foreach ($key in $bulk.Keys) {
            $b = $bulk[$key]
            $n, $t = $key -split 'x'
            $min = (Get-BulkMinimumSeconds ([int]$n)) * 1000 / $BulkTimeScale
            $note = "{0} failures, {1} requests, {2} answered 429" -f $b.Failures, $b.Counts.Requests, $b.Counts.Throttled
            # Faster than the limits allow means the emulator does not enforce them: no verdict on pacing then.
            $goal = '0 failures, <= 1.2 x minimum'
            $met = if ([int]$n -lt $BulkCount) {
                # Ten agents are the memory baseline: their time is each agent's own round trips, not the limits.
                $goal = ''; $note += '; the memory baseline, too few agents for the limits to decide the time'; $null
            }
            elseif ($b.Ms -lt $min) { $note += '; finished under the minimum, so this emulator does not enforce the limits'; $null }
            else { ($b.Failures -eq 0) -and $b.Ms -le 1.2 * $min }
            Add-Row Bulk "$n agents, -ThrottleLimit $t (time x$BulkTimeScale)" $b.Ms ms $min 'limit-derived minimum' $goal $met $note
        }
        $small = $bulk['10x4'].PeakWorkingSetMB
        foreach ($key in "${BulkCount}x4", "${LargeBulkCount}x16") {
            $large = $bulk[$key].PeakWorkingSetMB
            Add-Row Memory "peak working set, $($key -replace 'x.*') agents" $large MB $small 'peak at 10 agents' 'flat as N grows' ($large -le 1.25 * $small)
        }
    }
}
finally {
    Remove-Item Env:AWI_BENCH_SECRET -ErrorAction Ignore
    Stop-ArmEmulatorProcess -Emulator $emulator
}

Write-Host ("Medians over {0} fresh pwsh processes each; {1} ms added to every ARM answer where it says so" -f $Runs, $LatencyMs)
$rows | Format-Table @{ n = 'Group'; e = 'Group' }, Measurement, Value, Unit, Baseline, BaselineIs, Ratio, Goal,
    @{ n = 'Met'; e = { if ($null -eq $_.Met) { '' } elseif ($_.Met) { 'met' } else { 'MISSED' } } }, Note -AutoSize -Wrap |
    Out-String -Width 250 | Write-Host

New-Item -ItemType Directory -Force $OutputFolder | Out-Null
$report = [ordered]@{
    Started = $started.ToString('o'); Finished = [DateTimeOffset]::UtcNow.ToString('o'); Runs = $Runs; LatencyMs = $LatencyMs
    Machine = [ordered]@{ Cores = [Environment]::ProcessorCount; OS = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription; PowerShell = "$($PSVersionTable.PSVersion)" }
    Rows = $rows
}
$json = $report | ConvertTo-Json -Depth 6
$file = Join-Path $OutputFolder ("bench-{0:yyyyMMdd-HHmmss}.json" -f $started.UtcDateTime)
Set-Content $file $json -Encoding utf8NoBOM
if ($Section.Count -lt 4) { Write-Host "Written to $file (a partial run: latest.json and latest.md left as they were)"; return }
Set-Content (Join-Path $OutputFolder 'latest.json') $json -Encoding utf8NoBOM
# The same table as Markdown, for README's Performance section.
$markdown = @('| group | measurement | median | baseline | ratio | goal | met | note |', '|---|---|---:|---|---:|---|---|---|')
$markdown += foreach ($row in $rows) {
    $met = if ($null -eq $row.Met) { '' } elseif ($row.Met) { 'met' } else { '**missed**' }
    $base = if ($null -ne $row.Baseline) { "$($row.Baseline) ($($row.BaselineIs))" } else { '' }
    '| {0} | {1} | {2} {3} | {4} | {5} | {6} | {7} | {8} |' -f $row.Group, $row.Measurement, $row.Value, $row.Unit, $base, $row.Ratio, $row.Goal, $met, ($row.Note -replace '\|', '/')
}
Set-Content (Join-Path $OutputFolder 'latest.md') $markdown -Encoding utf8NoBOM
Write-Host "Written to $file and latest.md"
