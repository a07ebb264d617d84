<#
.SYNOPSIS
Runs the Pester suite in this (fresh) pwsh and writes its counts to a JSON file for build.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ResultFile
)
# Without Stop, a failed Pester import still exits 0 (TOOLCHAIN.md).
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest
$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $configuration
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -Path $ResultFile
exit ([int]($failed -gt 0))
