<#
.SYNOPSIS
Packs the built module into a .nupkg that Install-PSResource installs from a folder repository.

.DESCRIPTION
Uses PSResourceGet's own Publish-PSResource against a temporary local repository, so the package
has exactly the layout and nuspec PSResourceGet expects (tags, version and release notes from the
manifest). Runs in a child pwsh so the repository registration never touches the caller's session.

.PARAMETER ModulePath
The built module folder (out/AstronetesWorkloadIdentity).

.PARAMETER OutputFolder
Where the .nupkg is written; it doubles as a local repository folder.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputFolder
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'ThisPwsh.psm1')
New-Item -ItemType Directory -Force $OutputFolder | Out-Null
$ModulePath = (Resolve-Path $ModulePath).Path
$OutputFolder = (Resolve-Path $OutputFolder).Path
$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'AstronetesWorkloadIdentity.psd1')
# One package only: the install test and users must not pick up a stale version.
Get-ChildItem $OutputFolder -Filter "AstronetesWorkloadIdentity.*.nupkg" | Remove-Item

# PSResourceGet keeps registered repositories per user; a throwaway HOME keeps the build's
# registration out of the developer's own list.
$packHome = Join-Path ([System.IO.Path]::GetTempPath()) "awi-pack-$([guid]::NewGuid().ToString('n'))"
# .NET answers an empty LocalApplicationData when the folder does not exist yet, and PSResourceGet
# (and NuGet its config) would then write relative to the current directory.
New-Item -ItemType Directory (Join-Path $packHome '.local/share'), (Join-Path $packHome '.config'), (Join-Path $packHome 'AppData/Local') | Out-Null
$saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; LOCALAPPDATA = $env:LOCALAPPDATA }
try {
    $env:HOME = $packHome
    $env:XDG_DATA_HOME = Join-Path $packHome '.local/share'
    $env:LOCALAPPDATA = Join-Path $packHome 'AppData/Local'
    # This very pwsh, started by path: 'dotnet pwsh' would look for its tool under the throwaway HOME.
    Invoke-ThisPwsh -Command {
        param($ModulePath, $OutputFolder)
        $ErrorActionPreference = 'Stop'
        # On Windows the per-user repository list ignores HOME: leave it as it was found.
        Get-PSResourceRepository -Name AwiBuild -ErrorAction Ignore | Unregister-PSResourceRepository
        Register-PSResourceRepository -Name AwiBuild -Uri $OutputFolder -Trusted
        try { Publish-PSResource -Path $ModulePath -Repository AwiBuild }
        finally { Unregister-PSResourceRepository -Name AwiBuild }
    } -args $ModulePath, $OutputFolder
    if ($LASTEXITCODE -ne 0) { throw "Publish-PSResource failed (exit code $LASTEXITCODE)." }
}
finally {
    foreach ($name in $saved.Keys) { Set-Item "Env:$name" -Value $saved[$name] }
    Remove-Item $packHome -Recurse -Force -ErrorAction Ignore
}
$package = Join-Path $OutputFolder "AstronetesWorkloadIdentity.$($manifest.ModuleVersion).nupkg"
if (-not (Test-Path $package)) { throw "Publish-PSResource did not write $package." }
Write-Host "Package written: $package"
