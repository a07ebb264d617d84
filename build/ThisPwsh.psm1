# Starts child pwsh processes with the very PowerShell that runs this session: 'dotnet pwsh' as a local
# tool here, a runner's installed pwsh in other CI jobs. Children must not silently switch versions.
Set-StrictMode -Version 3.0

function Get-ThisPwshCommand {
    <#
    .SYNOPSIS
    The file to start and the arguments that come before pwsh's own, for this session's PowerShell.
    #>
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        # A framework-dependent pwsh (the .NET tool): the host is dotnet, the program pwsh.dll.
        [pscustomobject]@{ FilePath = $process; Prefix = @(Join-Path $PSHOME 'pwsh.dll') }
    }
    else {
        [pscustomobject]@{ FilePath = $process; Prefix = @() }
    }
}

function Invoke-ThisPwsh {
    <#
    .SYNOPSIS
    Runs this session's pwsh with -NoProfile -NonInteractive and the given arguments; $LASTEXITCODE tells.
    #>
    $pwsh = Get-ThisPwshCommand
    & $pwsh.FilePath @($pwsh.Prefix) -NoProfile -NonInteractive @args
}

Export-ModuleMember -Function Get-ThisPwshCommand, Invoke-ThisPwsh
