# Helpers for the Pester suite: the ARM emulator as a separate process, its admin API, and a connection to it.
Set-StrictMode -Version 3.0

# The emulator's fixed principals (tests/ArmEmulator/EmulatorDefaults.cs).
$script:Principals = @{
    Deployer    = @{ ClientId = '3c2b1a09-8f7e-4d6c-9b5a-0e1f2a3b4c5d'; Secret = 'deployer-secret-emulator-only'; ObjectId = '7e6d5c4b-3a29-4180-8f7e-6d5c4b3a2918' }
    Contributor = @{ ClientId = '4d3c2b1a-0f9e-4d8c-8b7a-6e5f4a3b2c1d'; Secret = 'contributor-secret-emulator-only'; ObjectId = '8f7e6d5c-4b3a-4291-9e8f-7d6c5b4a3928' }
}

function Get-TestPrincipal {
    param([Parameter(Mandatory)] [ValidateSet('Deployer', 'Contributor')] [string] $Name)
    [pscustomobject]$script:Principals[$Name]
}

function Start-TestArmEmulator {
    <#
    .SYNOPSIS
    Starts the built emulator ($env:AWI_EMULATOR_DLL) on a free port and waits for its READY line.
    The admin client trusts exactly the emulator's certificate, so no certificate check is switched off.
    #>
    [CmdletBinding()]
    param([string] $DllPath = $env:AWI_EMULATOR_DLL, [int] $TimeoutSeconds = 60)
    if (-not $DllPath -or -not (Test-Path -LiteralPath $DllPath)) { throw "AWI_EMULATOR_DLL does not point at the built ArmEmulator.dll ('$DllPath')." }
    $pem = Join-Path ([IO.Path]::GetTempPath()) "awi-emulator-$([guid]::NewGuid().ToString('n')).pem"
    $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($DllPath, '--port', '0', '--pem', $pem)) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $line = $null
    while ($true) {
        $read = $process.StandardOutput.ReadLineAsync()
        $wait = [int][Math]::Max(1, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $read.Wait($wait) -or $null -eq $read.Result) {
            if (-not $process.HasExited) { $process.Kill() }
            throw "The ARM emulator did not print READY within $TimeoutSeconds s: $($process.StandardError.ReadToEnd())"
        }
        $line = $read.Result
        if ($line.StartsWith('READY ')) { break }
    }
    $ready = $line.Substring(6) | ConvertFrom-Json
    # The PEM holds the certificate only (no key): CreateFromPem, not CreateFromPemFile.
    $certificate = [Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Get-Content -LiteralPath $pem -Raw))
    Remove-Item -LiteralPath $pem -ErrorAction Ignore
    if ($certificate.Thumbprint -ne $ready.thumbprint) { throw 'The emulator certificate does not match the thumbprint it reported.' }
    $policy = [Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
    $policy.TrustMode = [Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
    $policy.RevocationMode = [Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
    [void]$policy.CustomTrustStore.Add($certificate)
    $handler = [Net.Http.SocketsHttpHandler]::new()
    $handler.SslOptions.CertificateChainPolicy = $policy
    [pscustomobject]@{
        Process        = $process
        AdminClient    = [Net.Http.HttpClient]::new($handler)
        Url            = [string]$ready.url
        Thumbprint     = [string]$ready.thumbprint
        TenantId       = [string]$ready.tenantId
        SubscriptionId = [string]$ready.subscriptionId
    }
}

function Stop-TestArmEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [AllowNull()] $Emulator)
    if ($null -eq $Emulator) { return }
    $Emulator.AdminClient.Dispose()
    $process = $Emulator.Process
    if ($process.HasExited) { return }
    if ($IsWindows) { $process.Kill() } else { & kill -TERM $process.Id 2>$null }
    if (-not $process.WaitForExit(10000)) { $process.Kill() }
}

function Invoke-EmulatorAdmin {
    <#
    .SYNOPSIS
    Calls the emulator's admin API: GET requests | state, POST reset | faults | grant, DELETE faults.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('GET', 'POST', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $Path,
        $Body
    )
    $request = [Net.Http.HttpRequestMessage]::new([Net.Http.HttpMethod]::new($Method), "$($Emulator.Url.TrimEnd('/'))/_emulator/$Path")
    if ($PSBoundParameters.ContainsKey('Body')) {
        $json = if ($Body -is [string]) { $Body } else { ConvertTo-Json -InputObject $Body -Depth 10 -Compress }
        $request.Content = [Net.Http.StringContent]::new($json, [Text.Encoding]::UTF8, 'application/json')
    }
    $response = $Emulator.AdminClient.SendAsync($request).GetAwaiter().GetResult()
    $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
    if (-not $response.IsSuccessStatusCode) { throw "Emulator admin $Method $Path answered $([int]$response.StatusCode): $text" }
    if ($text) { ConvertFrom-Json -InputObject $text -NoEnumerate }
}

function Get-EmulatorRequest {
    <# .SYNOPSIS The request log, one object per request. #>
    param([Parameter(Mandatory)] $Emulator)
    @(Invoke-EmulatorAdmin -Emulator $Emulator -Path requests) | ForEach-Object { $_ }
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

Export-ModuleMember -Function Start-TestArmEmulator, Stop-TestArmEmulator, Invoke-EmulatorAdmin, Get-EmulatorRequest,
    Get-EmulatorWriteCount, Get-EmulatorArmRequestCount, Connect-TestArmEmulator, Get-TestPrincipal
