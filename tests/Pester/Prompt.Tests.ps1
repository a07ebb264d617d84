# -Confirm in a pwsh that cannot prompt (-NonInteractive, output redirected), as a CI job runs it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../build/ArmEmulatorProcess.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'FreshPwsh.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emulator = Start-ArmEmulatorProcess -DllPath $env:AWI_EMULATOR_DLL
    $credential = Get-ArmEmulatorCredential -Emulator $script:Emulator
    $script:Connection = @{
        ModulePath = $env:AWI_MODULE_PATH; Url = $script:Emulator.Url; Thumbprint = $script:Emulator.Thumbprint
        TenantId = $script:Emulator.TenantId; SubscriptionId = $script:Emulator.SubscriptionId
        ClientId = $credential.UserName
    }
    $script:SecretEnvironment = @{ AWI_CLIENT_SECRET = $credential.GetNetworkCredential().Password }
}

AfterAll {
    if ($script:Emulator) { Stop-ArmEmulatorProcess -Emulator $script:Emulator }
}

Describe '-Confirm where no one can answer' {
    It 'says that no one can answer the prompt and how to proceed, and writes nothing' {
        $result = Invoke-FreshPwsh -Parameters $script:Connection -Environment $script:SecretEnvironment -Script @'
Import-Module $P.ModulePath
$secret = ConvertTo-SecureString $env:AWI_CLIENT_SECRET -AsPlainText -Force
Connect-AgentAzure -ArmEndpoint $P.Url -AuthorityHost $P.Url -TrustedCertificateThumbprint $P.Thumbprint -TenantId $P.TenantId -SubscriptionId $P.SubscriptionId -ServicePrincipal -Credential ([pscredential]::new($P.ClientId, $secret)) | Out-Null
$failure = $null
try {
    Test-AksWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready |
        New-AgentManagedIdentity -Name astronetes-azure-agent -Confirm |
        New-AgentRoleAssignment -Confirm |
        New-AgentFederatedCredential -AgentName my-agent -Confirm | Out-Null
}
catch { $failure = $_ }
[pscustomobject]@{
    ErrorId = $failure.FullyQualifiedErrorId
    Message = $failure.ErrorDetails.Message
    Recommended = $failure.ErrorDetails.RecommendedAction
} | ConvertTo-Json -Compress
'@
        $result.ErrorId | Should -BeLike 'ConfirmationPromptUnavailable,*'
        $result.Message | Should -BeLike '*cannot prompt*'
        $result.Message | Should -Not -BeLike '*Object reference*'
        $result.Recommended | Should -BeLike '*-Confirm:$false*'
        Get-EmulatorWriteCount $script:Emulator | Should -Be 0
    }
}
