# Arithmetic of the benchmark: medians, and which of the emulator's logged requests ran one after another.
Set-StrictMode -Version 3.0

function Get-Median {
    param([double[]] $Values)
    if ($null -eq $Values -or $Values.Count -eq 0) { return [double]::NaN }
    $sorted = [double[]]($Values | Sort-Object)
    $mid = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
}

function Test-TokenRequest([string] $Path) { $Path -match '/oauth2/v2\.0/token$' }

function Measure-RequestLog {
    <#
    .SYNOPSIS
    Requests of the emulator's log that arrived within [Start, End], and how many of them ran one after another.
    .DESCRIPTION
    SequentialRoundTrips is the longest chain of ARM requests in which each arrived only after the one before it had
    been answered (from each entry's arrival and completion time): the round trips a user waits for, whatever the
    latency. Token requests are counted apart and left out of the chain.
    #>
    param([object[]] $Log, [DateTimeOffset] $Start, [DateTimeOffset] $End)
    $inWindow = @($Log | Where-Object { $t = [DateTimeOffset]$_.time; $t -ge $Start -and $t -le $End })
    $arm = @($inWindow | Where-Object { -not (Test-TokenRequest $_.path) } | Sort-Object { [DateTimeOffset]$_.time })
    $depth = @{}
    $longest = 0
    for ($i = 0; $i -lt $arm.Count; $i++) {
        $arrived = [DateTimeOffset]$arm[$i].time
        $before = 0
        for ($j = 0; $j -lt $i; $j++) {
            if ($arm[$j].completed -and [DateTimeOffset]$arm[$j].completed -le $arrived -and $depth[$j] -gt $before) { $before = $depth[$j] }
        }
        $depth[$i] = $before + 1
        if ($depth[$i] -gt $longest) { $longest = $depth[$i] }
    }
    [pscustomobject]@{
        Requests             = $arm.Count
        Reads                = @($arm | Where-Object method -eq 'GET').Count
        Writes               = @($arm | Where-Object method -ne 'GET').Count
        Throttled            = @($arm | Where-Object status -eq 429).Count
        TokenRequests        = @($inWindow | Where-Object { Test-TokenRequest $_.path }).Count
        SequentialRoundTrips = $longest
    }
}

Export-ModuleMember -Function Get-Median, Measure-RequestLog
