# The .nupkg from build.ps1 -Task Package installs with Install-PSResource from a folder repository
# into a throwaway module path, imports by name and runs the one-line setup.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../build/ArmEmulatorProcess.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'FreshPwsh.psm1') -Force
    $script:Emulator = Start-ArmEmulatorProcess -DllPath $env:AWI_EMULATOR_DLL
    $script:Credential = Get-ArmEmulatorCredential -Emulator $script:Emulator
}

AfterAll {
    if ($script:Emulator) { Stop-ArmEmulatorProcess -Emulator $script:Emulator }
}

Describe 'Package' {
    It 'installs from a local folder repository and runs the one-line setup' {
        $package = @(Get-ChildItem $env:AWI_PACKAGE_FOLDER -Filter 'AstronetesWorkloadIdentity.*.nupkg')
        $package.Count | Should -Be 1
        # A throwaway HOME: Install-PSResource -Scope CurrentUser and the repository list both live under it.
        $home2 = Join-Path ([System.IO.Path]::GetTempPath()) "awi-install-$([guid]::NewGuid().ToString('n'))"
        # .NET answers an empty LocalApplicationData for a folder that does not exist yet.
        New-Item -ItemType Directory (Join-Path $home2 '.local/share'), (Join-Path $home2 '.config'), (Join-Path $home2 'AppData/Local') | Out-Null
        try {
            $result = Invoke-FreshPwsh -Parameters @{
                Folder = $env:AWI_PACKAGE_FOLDER; Url = $script:Emulator.Url; Thumbprint = $script:Emulator.Thumbprint
                TenantId = $script:Emulator.TenantId; SubscriptionId = $script:Emulator.SubscriptionId; ClientId = $script:Credential.UserName
            } -Environment @{
                HOME = $home2; XDG_DATA_HOME = (Join-Path $home2 '.local/share'); LOCALAPPDATA = (Join-Path $home2 'AppData/Local')
                USERPROFILE = $home2; AWI_CLIENT_SECRET = $script:Credential.GetNetworkCredential().Password
            } -Script @'
# On Windows the per-user folders ignore HOME: start from and leave a clean repository list and module path.
Get-PSResourceRepository -Name AwiLocal -ErrorAction Ignore | Unregister-PSResourceRepository
Register-PSResourceRepository -Name AwiLocal -Uri $P.Folder -Trusted
Install-PSResource -Name AstronetesWorkloadIdentity -Repository AwiLocal -Scope CurrentUser -TrustRepository -Reinstall -Quiet
$module = Import-Module AstronetesWorkloadIdentity -PassThru
$secret = ConvertTo-SecureString $env:AWI_CLIENT_SECRET -AsPlainText -Force
Connect-AgentAzure -ArmEndpoint $P.Url -AuthorityHost $P.Url -TrustedCertificateThumbprint $P.Thumbprint -TenantId $P.TenantId -SubscriptionId $P.SubscriptionId -ServicePrincipal -Credential ([pscredential]::new($P.ClientId, $secret)) | Out-Null
$config = Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
    New-AgentManagedIdentity -Name id-package-install |
    New-AgentRoleAssignment |
    New-AgentFederatedCredential -AgentName package-install
$result = [pscustomobject]@{ ModuleBase = $module.ModuleBase; Version = $module.Version.ToString(); ClientId = $config.ClientId; Subject = $config.Subject }
Remove-Module AstronetesWorkloadIdentity
Uninstall-PSResource -Name AstronetesWorkloadIdentity -Scope CurrentUser
Unregister-PSResourceRepository -Name AwiLocal
$result | ConvertTo-Json -Compress
'@
            # Installed per user: under the throwaway HOME on Linux and macOS, under Documents on Windows.
            $result.ModuleBase | Should -BeLike $(if ($IsWindows) { '*\PowerShell\Modules\AstronetesWorkloadIdentity\*' } else { "$home2*" })
            $result.ClientId | Should -Match '^[0-9a-f-]{36}$'
            $result.Subject | Should -Be 'system:serviceaccount:resiliency-system:package-install'
            $package[0].Name | Should -Be "AstronetesWorkloadIdentity.$($result.Version).nupkg"
        }
        finally { Remove-Item $home2 -Recurse -Force -ErrorAction Ignore }
    }
}
