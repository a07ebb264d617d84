# Starts and stops the ARM emulator as a separate process, for the demo, the Pester tests and the benchmark.
Set-StrictMode -Version 3.0

function Start-ArmEmulatorProcess {
    <#
    .SYNOPSIS
    Starts the built ARM emulator and waits for its READY line.
    .OUTPUTS
    An object with Process, Url, Thumbprint, TenantId and SubscriptionId.
    #>
    [CmdletBinding()]
    param(
        [string] $DllPath = $env:AWI_EMULATOR_DLL,
        [int] $Port = 0,
        [string] $StateFile,
        [int] $TimeoutSeconds = 60,
        # More emulator options, e.g. '--cluster-operation-seconds', '2' (tests/ArmEmulator/README.md).
        [string[]] $ArgumentList = @()
    )
    if (-not $DllPath -or -not (Test-Path -LiteralPath $DllPath)) {
        throw "The ARM emulator is not built at '$DllPath'. Run ./build.ps1 -Task Build first."
    }
    # The emulator writes its certificate as PEM so the admin client can trust exactly it
    # (a custom root), without a validation callback: a script block cannot run on the TLS thread.
    $pem = Join-Path ([System.IO.Path]::GetTempPath()) "arm-emulator-$([guid]::NewGuid().ToString('n')).pem"
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($DllPath, '--port', "$Port", '--pem', $pem)) { $psi.ArgumentList.Add($a) }
    if ($StateFile) { $psi.ArgumentList.Add('--state'); $psi.ArgumentList.Add($StateFile) }
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        $read = $process.StandardOutput.ReadLineAsync()
        $remaining = [int][Math]::Max(1, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $read.Wait($remaining) -or $null -eq $read.Result) {
            $err = if ($process.HasExited) { $process.StandardError.ReadToEnd() } else { '' }
            if (-not $process.HasExited) { $process.Kill() }
            throw "The ARM emulator did not report READY within $TimeoutSeconds s. $err"
        }
        if ($read.Result.StartsWith('READY ')) { break }
    }
    $ready = $read.Result.Substring(6) | ConvertFrom-Json
    # The PEM holds the certificate only (no key): CreateFromPem, not CreateFromPemFile.
    $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem((Get-Content -LiteralPath $pem -Raw))
    Remove-Item -LiteralPath $pem -ErrorAction Ignore
    if ($certificate.Thumbprint -ne $ready.thumbprint) { throw "The emulator's PEM does not match the thumbprint it reported." }
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
    $policy.TrustMode = [System.Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
    $policy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
    [void]$policy.CustomTrustStore.Add($certificate)
    $handler.SslOptions.CertificateChainPolicy = $policy
    [pscustomobject]@{
        Process        = $process
        AdminClient    = [System.Net.Http.HttpClient]::new($handler)
        Certificate    = $certificate
        Url            = [string]$ready.url
        Thumbprint     = [string]$ready.thumbprint
        TenantId       = [string]$ready.tenantId
        SubscriptionId = [string]$ready.subscriptionId
    }
}

function Stop-ArmEmulatorProcess {
    <#
    .SYNOPSIS
    Stops the emulator the way a service manager would (SIGTERM on Unix), then kills it if it lingers.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [AllowNull()] $Emulator)
    if ($null -eq $Emulator) { return }
    $process = $Emulator.Process
    $Emulator.AdminClient.Dispose()
    if ($process.HasExited) { return }
    if ($IsWindows) { $process.Kill() }
    else { & kill -TERM $process.Id 2>$null }
    if (-not $process.WaitForExit(10000)) { $process.Kill() }
}

function Invoke-ArmEmulatorAdmin {
    <#
    .SYNOPSIS
    Calls the emulator's admin API (/_emulator/...), trusting only the emulator's pinned certificate.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('GET', 'POST', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $Path,
        $Body
    )
    $client = $Emulator.AdminClient
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), "$($Emulator.Url.TrimEnd('/'))/_emulator/$Path")
    if ($PSBoundParameters.ContainsKey('Body')) {
        $json = if ($Body -is [string]) { $Body } else { ConvertTo-Json -InputObject $Body -Depth 10 -Compress }
        $request.Content = [System.Net.Http.StringContent]::new($json, [System.Text.Encoding]::UTF8, 'application/json')
    }
    $response = $client.SendAsync($request).GetAwaiter().GetResult()
    $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
    if (-not $response.IsSuccessStatusCode) { throw "Emulator admin $Method $Path answered $([int]$response.StatusCode): $text" }
    if ($text) { ConvertFrom-Json -InputObject $text -NoEnumerate }
}

function Get-ArmEmulatorCredential {
    <#
    .SYNOPSIS
    The client ID and secret of one of the emulator's service principals, as a PSCredential.
    .DESCRIPTION
    The default state has astronetes-deployer (Owner at subscription scope) and
    astronetes-contributor (Contributor: no role-assignment write).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('astronetes-deployer', 'astronetes-contributor')] [string] $DisplayName = 'astronetes-deployer'
    )
    $principal = (Invoke-ArmEmulatorAdmin -Emulator $Emulator -Path state).principals | Where-Object displayName -eq $DisplayName
    if (-not $principal) { throw "The emulator's state has no principal '$DisplayName'." }
    [pscredential]::new($principal.appId, (ConvertTo-SecureString $principal.clientSecret -AsPlainText -Force))
}

Export-ModuleMember -Function Start-ArmEmulatorProcess, Stop-ArmEmulatorProcess, Invoke-ArmEmulatorAdmin, Get-ArmEmulatorCredential
