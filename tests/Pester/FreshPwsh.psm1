# Runs a script in a brand-new pwsh process: assembly loading cannot be undone, so every
# load-order scenario gets a process of its own.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../../build/ThisPwsh.psm1')

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
    Runs -Script in a fresh pwsh with -Parameters (passed as JSON in AWI_CHILD_PARAMETERS) and
    returns the object its last output line holds as JSON.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Parameters = @{},
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 180
    )
    $file = Join-Path ([System.IO.Path]::GetTempPath()) "awi-child-$([guid]::NewGuid().ToString('n')).ps1"
    $prologue = '$ErrorActionPreference = ''Stop''; $P = $env:AWI_CHILD_PARAMETERS | ConvertFrom-Json' + [Environment]::NewLine
    Set-Content -Path $file -Value ($prologue + $Script) -Encoding utf8NoBOM
    try {
        $pwsh = Get-ThisPwshCommand
        $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
        foreach ($a in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $psi.Environment['AWI_CHILD_PARAMETERS'] = ConvertTo-Json $Parameters -Compress -Depth 5
        $psi.Environment['NO_COLOR'] = '1'
        foreach ($name in $Environment.Keys) { $psi.Environment[$name] = $Environment[$name] }
        $process = [System.Diagnostics.Process]::Start($psi)
        $stderrTask = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) { $process.Kill(); throw "The child pwsh did not finish within $TimeoutSeconds s." }
        $stderr = $stderrTask.GetAwaiter().GetResult()
        $lines = @($stdout -split "`r?`n" | Where-Object { $_.Trim() })
        if ($process.ExitCode -ne 0 -or -not $lines) {
            throw "The child pwsh failed (exit code $($process.ExitCode)).`nstdout: $stdout`nstderr: $stderr"
        }
        $lines[-1] | ConvertFrom-Json
    }
    finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
}

Export-ModuleMember -Function Invoke-FreshPwsh
