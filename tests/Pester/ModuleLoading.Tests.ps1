# Issue "A module that loads anywhere": dependency isolation, re-import, lazy Azure.Core, manifest, help.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../build/ArmEmulatorProcess.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'FreshPwsh.psm1') -Force
    $script:ModulePath = $env:AWI_MODULE_PATH
    $script:Emulator = Start-ArmEmulatorProcess -DllPath $env:AWI_EMULATOR_DLL
    $credential = Get-ArmEmulatorCredential -Emulator $script:Emulator
    $script:Connection = @{
        ModulePath = $script:ModulePath; Url = $script:Emulator.Url; Thumbprint = $script:Emulator.Thumbprint
        TenantId = $script:Emulator.TenantId; SubscriptionId = $script:Emulator.SubscriptionId
        ClientId = $credential.UserName
    }
    $script:SecretEnvironment = @{ AWI_CLIENT_SECRET = $credential.GetNetworkCredential().Password }
    # PSResourceGet ships with pwsh and carries an older Azure.Core, MSAL and System.ClientModel:
    # exactly what Az.Accounts does to a module in an Azure DevOps task.
    $script:PsrgDependencies = Join-Path (Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet | Select-Object -First 1).ModuleBase 'dependencies'

    # Shared by the child scripts: connect to the emulator and run the one-line setup.
    $script:RunSetup = @'
function Invoke-OneLineSetup([string] $Agent) {
    $secret = ConvertTo-SecureString $env:AWI_CLIENT_SECRET -AsPlainText -Force
    Connect-AgentAzure -ArmEndpoint $P.Url -AuthorityHost $P.Url -TrustedCertificateThumbprint $P.Thumbprint -TenantId $P.TenantId -SubscriptionId $P.SubscriptionId -ServicePrincipal -Credential ([pscredential]::new($P.ClientId, $secret)) | Out-Null
    Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
        New-AgentManagedIdentity -Name "id-$Agent" |
        New-AgentRoleAssignment |
        New-AgentFederatedCredential -AgentName $Agent
}
function Get-LoadedVersions([string] $Name) {
    @([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $Name } | ForEach-Object { $_.GetName().Version.ToString() } | Sort-Object)
}
'@
}

AfterAll {
    if ($script:Emulator) { Stop-ArmEmulatorProcess -Emulator $script:Emulator }
}

Describe 'Dependency isolation' {
    It 'runs the one-line setup after an older Azure.Core, MSAL and System.ClientModel were loaded' {
        $result = Invoke-FreshPwsh -Parameters ($script:Connection + @{ Deps = $script:PsrgDependencies }) -Environment $script:SecretEnvironment -Script ($script:RunSetup + @'
$older = foreach ($name in 'Azure.Core', 'Microsoft.Identity.Client', 'System.ClientModel') {
    $path = Join-Path $P.Deps "$name.dll"
    if (Test-Path $path) { [System.Reflection.Assembly]::LoadFrom($path).GetName().Version.ToString() }
}
Import-Module $P.ModulePath
$config = Invoke-OneLineSetup 'isolation-older-first'
[pscustomobject]@{ ClientId = $config.ClientId; Older = @($older); AzureCore = Get-LoadedVersions 'Azure.Core' } | ConvertTo-Json -Compress
'@)
        $result.ClientId | Should -Match '^[0-9a-f-]{36}$'
        $result.AzureCore.Count | Should -Be 2 -Because 'the older Azure.Core stays for its owner and ours loads beside it'
        $result.AzureCore | Should -Contain $result.Older[0]
    }

    It 'leaves an older Azure.Core loadable for its owner after ours is in use' {
        $result = Invoke-FreshPwsh -Parameters ($script:Connection + @{ Deps = $script:PsrgDependencies }) -Environment $script:SecretEnvironment -Script ($script:RunSetup + @'
Import-Module $P.ModulePath
$config = Invoke-OneLineSetup 'isolation-ours-first'
$older = [System.Reflection.Assembly]::LoadFrom((Join-Path $P.Deps 'Azure.Core.dll'))
# The owner of the older copy can still use its types.
$header = [System.Activator]::CreateInstance($older.GetType('Azure.Core.HttpHeader', $true), @('x-test', 'value'))
[pscustomobject]@{ ClientId = $config.ClientId; OlderVersion = $older.GetName().Version.ToString(); HeaderName = $header.Name; AzureCore = Get-LoadedVersions 'Azure.Core' } | ConvertTo-Json -Compress
'@)
        $result.ClientId | Should -Match '^[0-9a-f-]{36}$'
        $result.HeaderName | Should -Be 'x-test'
        $result.AzureCore | Should -Contain $result.OlderVersion
        $result.AzureCore.Count | Should -Be 2
    }

    It 'works again after Remove-Module and Import-Module in the same session' {
        $result = Invoke-FreshPwsh -Parameters $script:Connection -Environment $script:SecretEnvironment -Script ($script:RunSetup + @'
Import-Module $P.ModulePath
$first = Invoke-OneLineSetup 'reimport'
Remove-Module AstronetesWorkloadIdentity
$removed = -not (Get-Command Test-AksWorkloadIdentity -ErrorAction Ignore)
Import-Module $P.ModulePath
$second = Invoke-OneLineSetup 'reimport'
[pscustomobject]@{ Removed = $removed; First = $first.ClientId; Second = $second.ClientId; Action = $second.FederatedCredentialAction.ToString() } | ConvertTo-Json -Compress
'@)
        $result.Removed | Should -BeTrue
        $result.Second | Should -Be $result.First
        $result.Action | Should -Be 'Existing'
    }

    It 'does not load Azure.Core at import, only at the first cmdlet that needs it' {
        $result = Invoke-FreshPwsh -Parameters $script:Connection -Environment $script:SecretEnvironment -Script ($script:RunSetup + @'
Import-Module $P.ModulePath
$atImport = Get-LoadedVersions 'Azure.Core'
$null = Invoke-OneLineSetup 'lazy-load'
[pscustomobject]@{ AtImport = @($atImport); AfterCall = Get-LoadedVersions 'Azure.Core' } | ConvertTo-Json -Compress
'@)
        $result.AtImport.Count | Should -Be 0
        $result.AfterCall.Count | Should -Be 1
    }
}

Describe 'Format views' {
    It 'are not loaded at import (which would rebuild the format database), and are there for the first output' {
        $result = Invoke-FreshPwsh -Parameters $script:Connection -Environment $script:SecretEnvironment -Script ($script:RunSetup + @'
Import-Module $P.ModulePath
$atImport = @(Get-FormatData -TypeName AstronetesWorkloadIdentity.*).Count
$output = Invoke-OneLineSetup 'format-views'
$table = $output | Format-Table | Out-String
[pscustomobject]@{ AtImport = $atImport; AfterCall = @(Get-FormatData -TypeName AstronetesWorkloadIdentity.*).Count; Table = $table } | ConvertTo-Json -Compress
'@)
        $result.AtImport | Should -Be 0
        $result.AfterCall | Should -BeGreaterOrEqual 7
        # The view's own columns, not the property list PowerShell would fall back to.
        $result.Table | Should -Match 'ClientId'
        $result.Table | Should -Not -Match 'IdentityResourceId'
    }
}

Describe 'Module manifest' {
    BeforeAll {
        $script:Manifest = Import-PowerShellDataFile (Join-Path $script:ModulePath 'AstronetesWorkloadIdentity.psd1')
    }

    It 'exports exactly the cmdlets it declares and no functions, aliases or variables' {
        $result = Invoke-FreshPwsh -Parameters $script:Connection -Script @'
$m = Import-Module $P.ModulePath -PassThru
[pscustomobject]@{ Cmdlets = @($m.ExportedCmdlets.Keys | Sort-Object); Functions = $m.ExportedFunctions.Count; Aliases = $m.ExportedAliases.Count; Variables = $m.ExportedVariables.Count } | ConvertTo-Json -Compress
'@
        $result.Cmdlets | Should -Be @($script:Manifest.CmdletsToExport | Sort-Object)
        $result.Functions + $result.Aliases + $result.Variables | Should -Be 0
        $script:Manifest.FunctionsToExport.Count + $script:Manifest.AliasesToExport.Count + $script:Manifest.VariablesToExport.Count | Should -Be 0
    }

    It 'is stamped with the version of Directory.Build.props' {
        $props = [xml](Get-Content (Join-Path $PSScriptRoot '../../Directory.Build.props') -Raw)
        $script:Manifest.ModuleVersion | Should -Be $props.Project.PropertyGroup[0].VersionPrefix
        $script:Manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'claims only the editions and PowerShell version that CI tests' {
        $script:Manifest.CompatiblePSEditions | Should -Be @('Core')
        [version]$script:Manifest.PowerShellVersion | Should -BeLessOrEqual $PSVersionTable.PSVersion
    }
}

Describe 'Help' {
    It 'answers Get-Help -Full for every cmdlet with synopsis, description, every parameter and two examples' {
        $result = Invoke-FreshPwsh -Parameters $script:Connection -Script @'
Import-Module $P.ModulePath
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$gaps = foreach ($cmd in Get-Command -Module AstronetesWorkloadIdentity) {
    $help = Get-Help $cmd.Name -Full
    if (-not "$($help.Synopsis)".Trim() -or "$($help.Synopsis)".Trim().StartsWith($cmd.Name)) { "$($cmd.Name): synopsis" }
    if (-not $help.description) { "$($cmd.Name): description" }
    if (@($help.examples.example).Count -lt 2) { "$($cmd.Name): examples" }
    foreach ($p in $cmd.Parameters.Keys | Where-Object { $_ -notin $common }) {
        $ph = @($help.parameters.parameter) | Where-Object name -eq $p
        if (-not $ph -or -not "$($ph.description.Text)".Trim()) { "$($cmd.Name): -$p" }
    }
}
$about = Get-Help about_AstronetesWorkloadIdentity
[pscustomobject]@{ Gaps = @($gaps); Commands = @(Get-Command -Module AstronetesWorkloadIdentity).Count; About = "$about".Contains('system:serviceaccount') } | ConvertTo-Json -Compress
'@
        # Every cmdlet the manifest exports is there (its list, not a count each new cmdlet would have to bump), and the help check above covered each of them.
        $exported = @((Import-PowerShellDataFile (Join-Path $script:ModulePath 'AstronetesWorkloadIdentity.psd1')).CmdletsToExport)
        $exported | Should -Contain 'New-AgentWorkloadIdentity'
        $result.Commands | Should -Be $exported.Count
        $result.Commands | Should -BeGreaterOrEqual 7
        $result.Gaps | Should -BeNullOrEmpty
        $result.About | Should -BeTrue
    }
}
