<#
.SYNOPSIS
The front door of AstronetesWorkloadIdentity: build, test, demo, package, benchmark, clean.

.DESCRIPTION
Build   publishes the module to out/AstronetesWorkloadIdentity (manifest stamped with the version
        from Directory.Build.props, format file, help, the module assembly and its dependencies)
        and builds the ARM emulator.
Test    builds, runs the xunit suites and the Pester suite (Pester from NuGet, in a fresh
        pwsh -NoProfile), and ends with one line "N passed, M failed" for both together. The exit
        code is non-zero on any failure or when either runner did not run.
Demo    builds, starts the ARM emulator, imports the built module, connects to the emulator,
        runs the one-line setup twice and shows the agent configuration.
Package builds and writes out/packages/AstronetesWorkloadIdentity.<version>.nupkg.
Bench   one table of medians against the emulator (import, first call, round trips, wall time, bulk), also
        as JSON under out/bench/ (build/Invoke-Bench.ps1).
Clean   removes out/ and every bin/ and obj/ folder.

.PARAMETER Task
What to do: Build, Test, Demo, Package, Bench or Clean.

.PARAMETER Configuration
The .NET build configuration, Release by default.

.EXAMPLE
dotnet tool restore; dotnet pwsh -NoProfile -File ./build.ps1 -Task Demo

.EXAMPLE
./build.ps1 -Task Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleName = 'AstronetesWorkloadIdentity'
$ModuleOut = Join-Path $Out $ModuleName
$Solution = Join-Path $Root "$ModuleName.sln"
$EmulatorDll = Join-Path $Root "tests/ArmEmulator/bin/$Configuration/net10.0/ArmEmulator.dll"
# Stands in for PowerShell 7.4 on .NET 8 (tests/Net8Host); its private .NET 8 root is in dotnet-root/ beside it.
$Net8Host = Join-Path $Root "tests/Net8Host/bin/$Configuration/net8.0"
Import-Module (Join-Path $Root 'build/ArmEmulatorProcess.psm1') -Force
Import-Module (Join-Path $Root 'build/ThisPwsh.psm1') -Force

function Invoke-Native {
    # Native tools report failure only through their exit code; make that terminate. No param
    # block on purpose: every argument, '-c' included, must reach the tool untouched in $args.
    $command, $arguments = $args
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-MSBuildProperty([string] $Project, [string] $Name) {
    $value = & dotnet msbuild $Project "-getProperty:$Name" 2>$null
    if ($LASTEXITCODE -ne 0 -or -not $value) { throw "Could not read the MSBuild property $Name from $Project." }
    "$value".Trim()
}

function Get-ModuleVersion { Get-MSBuildProperty (Join-Path $Root "src/$ModuleName/$ModuleName.csproj") 'Version' }

function Get-ReleaseNotes([string] $Version) {
    # The notes of this version's section in CHANGELOG.md, so the manifest never disagrees with it.
    $lines = Get-Content (Join-Path $Root 'CHANGELOG.md')
    $start = [Array]::IndexOf($lines, "## $Version")
    if ($start -lt 0) { throw "CHANGELOG.md has no section '## $Version'." }
    $notes = foreach ($line in $lines[($start + 1)..($lines.Count - 1)]) { if ($line.StartsWith('## ')) { break }; $line }
    ($notes -join "`n").Trim()
}

function Invoke-Build {
    Write-Host "Building $ModuleName ($Configuration)"
    Invoke-Native dotnet build $Solution -c $Configuration --nologo -v quiet
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    Invoke-Native dotnet publish (Join-Path $Root "src/$ModuleName/$ModuleName.csproj") -c $Configuration --nologo -v quiet --no-build -o $ModuleOut
    Remove-Item (Join-Path $ModuleOut '*.pdb'), (Join-Path $ModuleOut '*.deps.json') -ErrorAction Ignore
    # Only the cmdlet assembly stays beside the manifest; the engine and everything it brings go to
    # Dependencies/, which the module's private load context serves (see src/$ModuleName/Loading).
    $dependencies = New-Item -ItemType Directory (Join-Path $ModuleOut 'Dependencies')
    Get-ChildItem $ModuleOut -File | Where-Object Name -ne "$ModuleName.dll" | Move-Item -Destination $dependencies
    & (Join-Path $Root 'build/Invoke-ReadyToRun.ps1') -ModulePath $ModuleOut -Configuration $Configuration

    $version = Get-ModuleVersion
    $notes = (Get-ReleaseNotes $version).Replace("'", "''")
    $manifest = (Get-Content (Join-Path $Root "module/$ModuleName.psd1") -Raw).
        Replace('{{ModuleVersion}}', $version).
        Replace('{{ReleaseNotes}}', $notes)
    Set-Content -Path (Join-Path $ModuleOut "$ModuleName.psd1") -Value $manifest -Encoding utf8NoBOM
    Copy-Item (Join-Path $Root "module/*.ps1xml") $ModuleOut
    Copy-Item (Join-Path $Root 'module/en-US') $ModuleOut -Recurse
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut
    Test-ModuleManifest (Join-Path $ModuleOut "$ModuleName.psd1") | Out-Null
    # In its own pwsh: generating help imports the module, which this session must not keep loaded.
    Invoke-ThisPwsh -File (Join-Path $Root 'build/New-MamlHelp.ps1') `
        -ModulePath $ModuleOut -DocsPath (Join-Path $Root 'docs/en-US') -OutputPath (Join-Path $ModuleOut 'en-US')
    if ($LASTEXITCODE -ne 0) { throw 'Help generation failed: every cmdlet and parameter needs help in docs/en-US.' }
    Write-Host "Module $version published to $ModuleOut"
}

function Read-TrxCounts([string] $Folder) {
    $files = @(Get-ChildItem $Folder -Filter *.trx -ErrorAction Ignore)
    $passed = 0; $failed = 0
    foreach ($file in $files) {
        $counters = ([xml](Get-Content -LiteralPath $file.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    [pscustomobject]@{ Files = $files.Count; Passed = $passed; Failed = $failed }
}

function Invoke-XunitTests([string] $ResultsFolder) {
    $projects = @(Get-ChildItem (Join-Path $Root 'tests') -Filter *.Tests.csproj -Recurse)
    # Out-Host: the runners' own output is for the log, not part of this function's result.
    & dotnet test $Solution -c $Configuration --no-build --nologo --logger 'trx' --logger 'console;verbosity=minimal' --results-directory $ResultsFolder | Out-Host
    $exit = $LASTEXITCODE
    $counts = Read-TrxCounts $ResultsFolder
    $ran = $counts.Files -eq $projects.Count -and ($counts.Passed + $counts.Failed) -gt 0
    if (-not $ran) { Write-Host "xunit did not run every test project ($($counts.Files) of $($projects.Count) reported; exit code $exit)." }
    elseif ($exit -ne 0 -and $counts.Failed -eq 0) { Write-Host "dotnet test failed (exit code $exit) without a failed test."; $ran = $false }
    [pscustomobject]@{ Ran = $ran; Passed = $counts.Passed; Failed = $counts.Failed }
}

function Invoke-PesterTests([string] $ResultsFolder) {
    Invoke-Native dotnet restore (Join-Path $Root 'tests/Pester/PesterDeps/PesterDeps.csproj') --nologo -v quiet
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else {
        ((& dotnet nuget locals global-packages -l) -replace '^global-packages:\s*', '').Trim()
    }
    $pesterVersion = Get-MSBuildProperty (Join-Path $Root 'tests/Pester/PesterDeps/PesterDeps.csproj') 'PesterVersion'
    $resultFile = Join-Path $ResultsFolder 'pester.json'
    $env:AWI_MODULE_PATH = $ModuleOut
    $env:AWI_EMULATOR_DLL = $EmulatorDll
    $env:AWI_NET8_HOST = $Net8Host
    $env:AWI_PACKAGE_FOLDER = Join-Path $Out 'packages'
    # A fresh pwsh: the suite must not see this session's modules or variables.
    Invoke-ThisPwsh -File (Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1') `
        -PesterManifest (Join-Path $packages "pester/$pesterVersion/tools/Pester.psd1") -ResultFile $resultFile | Out-Host
    $exit = $LASTEXITCODE
    if (-not (Test-Path $resultFile)) {
        Write-Host "Pester did not run (exit code $exit)."
        return [pscustomobject]@{ Ran = $false; Passed = 0; Failed = 0 }
    }
    $result = Get-Content $resultFile -Raw | ConvertFrom-Json
    [pscustomobject]@{ Ran = ($result.Passed + $result.Failed) -gt 0; Passed = [int]$result.Passed; Failed = [int]$result.Failed }
}

function Invoke-Test {
    # Package builds first, so the Pester suite can install the very package users would get. A build that
    # fails still ends with the summary line CI reads: nothing ran, and that is one failure.
    try { Invoke-Package }
    catch {
        Write-Host "The build failed, so no test ran: $_"
        Write-Output '0 passed, 1 failed'
        exit 1
    }
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory $results | Out-Null
    $xunit = Invoke-XunitTests $results
    $pester = Invoke-PesterTests $results
    $passed = $xunit.Passed + $pester.Passed
    # A runner that did not run counts as a failure, so a broken suite can never read as green.
    $failed = $xunit.Failed + $pester.Failed + [int](-not $xunit.Ran) + [int](-not $pester.Ran)
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed"
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Invoke-ThisPwsh -File (Join-Path $Root 'examples/Invoke-EmulatorDemo.ps1') -ModulePath $ModuleOut -EmulatorDll $EmulatorDll
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Package {
    Invoke-Build
    & (Join-Path $Root 'build/New-ModulePackage.ps1') -ModulePath $ModuleOut -OutputFolder (Join-Path $Out 'packages')
}

function Invoke-Bench {
    Invoke-Build
    Invoke-ThisPwsh -File (Join-Path $Root 'build/Invoke-Bench.ps1') -ModulePath $ModuleOut -EmulatorDll $EmulatorDll -OutputFolder (Join-Path $Out 'bench')
    if ($LASTEXITCODE -ne 0) { throw "The benchmark failed (exit code $LASTEXITCODE)." }
}

function Invoke-Clean {
    Remove-Item $Out -Recurse -Force -ErrorAction Ignore
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force -ErrorAction Ignore
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Package' { Invoke-Package }
        'Bench' { Invoke-Bench }
        'Clean' { Invoke-Clean }
    }
}
finally { Pop-Location }
