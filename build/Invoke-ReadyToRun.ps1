<#
.SYNOPSIS
Replaces the built module's assemblies with ReadyToRun-compiled copies of themselves (see ReadyToRun/ReadyToRun.csproj).
#>
param([Parameter(Mandatory)] [string] $ModulePath, [string] $Configuration = 'Release')
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$compiled = Join-Path ([System.IO.Path]::GetTempPath()) "awi-r2r-$([guid]::NewGuid().ToString('n'))"
try {
    & dotnet publish (Join-Path $PSScriptRoot 'ReadyToRun/ReadyToRun.csproj') -c $Configuration --nologo -v quiet -o $compiled "-p:ModuleFolder=$ModulePath"
    if ($LASTEXITCODE -ne 0) { throw "ReadyToRun compilation failed (exit code $LASTEXITCODE)." }
    # Only files the module has: the publish also brings the helper itself and its deps.json.
    $targets = @(Get-Item (Join-Path $ModulePath 'AstronetesWorkloadIdentity.dll')) + @(Get-ChildItem (Join-Path $ModulePath 'Dependencies') -Filter *.dll)
    $replaced = 0
    foreach ($target in $targets) {
        $candidate = Join-Path $compiled $target.Name
        if ((Test-Path $candidate) -and (Get-Item $candidate).Length -ne $target.Length) {
            Copy-Item $candidate $target.FullName -Force
            $replaced++
        }
    }
    Write-Host "ReadyToRun: $replaced of $($targets.Count) assemblies precompiled"
}
finally { Remove-Item $compiled -Recurse -Force -ErrorAction Ignore }
