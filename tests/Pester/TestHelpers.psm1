# Helpers for the Pester suite: the request log and a connection to the emulator. Starting and
# stopping the emulator and its admin API live in build/ArmEmulatorProcess.psm1, shared with the demo.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../../build/ArmEmulatorProcess.psm1') -Global

# The emulator's fixed principals (tests/ArmEmulator/EmulatorDefaults.cs).
$script:Principals = @{
    Deployer    = @{ ClientId = '3c2b1a09-8f7e-4d6c-9b5a-0e1f2a3b4c5d'; Secret = 'deployer-secret-emulator-only'; ObjectId = '7e6d5c4b-3a29-4180-8f7e-6d5c4b3a2918' }
    Contributor = @{ ClientId = '4d3c2b1a-0f9e-4d8c-8b7a-6e5f4a3b2c1d'; Secret = 'contributor-secret-emulator-only'; ObjectId = '8f7e6d5c-4b3a-4291-9e8f-7d6c5b4a3928' }
}

function Get-TestPrincipal {
    param([Parameter(Mandatory)] [ValidateSet('Deployer', 'Contributor')] [string] $Name)
    [pscustomobject]$script:Principals[$Name]
}

function Get-EmulatorRequest {
    <# .SYNOPSIS The request log, one object per request. #>
    param([Parameter(Mandatory)] $Emulator)
    @(Invoke-ArmEmulatorAdmin -Emulator $Emulator -Path requests) | ForEach-Object { $_ }
}

function Get-EmulatorWriteCount {
    param([Parameter(Mandatory)] $Emulator)
    @(Get-EmulatorRequest $Emulator | Where-Object { $_.method -in 'PUT', 'PATCH', 'DELETE' }).Count
}

function Get-EmulatorArmRequestCount {
    <# .SYNOPSIS Requests to ARM, token requests excluded. #>
    param([Parameter(Mandatory)] $Emulator)
    @(Get-EmulatorRequest $Emulator | Where-Object { $_.path -match '^/(subscriptions|providers)' }).Count
}

function Connect-TestArmEmulator {
    <# .SYNOPSIS Connect-AgentAzure to the emulator as one of its service principals. #>
    param([Parameter(Mandatory)] $Emulator, [ValidateSet('Deployer', 'Contributor')] [string] $As = 'Deployer')
    $principal = $script:Principals[$As]
    $credential = [pscredential]::new($principal.ClientId, (ConvertTo-SecureString $principal.Secret -AsPlainText -Force))
    Connect-AgentAzure -ArmEndpoint $Emulator.Url -AuthorityHost $Emulator.Url -TrustedCertificateThumbprint $Emulator.Thumbprint `
        -TenantId $Emulator.TenantId -SubscriptionId $Emulator.SubscriptionId -ServicePrincipal -Credential $credential
}

function Invoke-WithoutHost {
    <# .SYNOPSIS
    Runs a script in a runspace of its own, connected to the emulator, with no host user interface. -WhatIf writes its
    "What if:" lines to the host rather than to a stream, so in the suite's runspace they would land between the
    runner's results. Returns the output; the first error is thrown. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Script)
    $shell = [powershell]::Create()
    try {
        $setup = "Import-Module '$($env:AWI_MODULE_PATH)'; Import-Module '$(Join-Path $PSScriptRoot 'TestHelpers.psm1')'; " +
            'Connect-TestArmEmulator -Emulator $args[0] | Out-Null' + "`n"
        $null = $shell.AddScript($setup + $Script).AddArgument($Emulator)
        $output = $shell.Invoke()
        if ($shell.Streams.Error.Count) { throw $shell.Streams.Error[0] }
        $output
    }
    finally { $shell.Dispose() }
}

Export-ModuleMember -Function Get-EmulatorRequest,
    Get-EmulatorWriteCount, Get-EmulatorArmRequestCount, Connect-TestArmEmulator, Get-TestPrincipal, Invoke-WithoutHost
