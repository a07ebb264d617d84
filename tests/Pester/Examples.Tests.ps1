# Issue "The whole lifecycle", "Examples that run": every script and pipeline in examples/ runs against the ARM
# emulator. The only change is the connection: the emulator's instead of Azure's.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module $env:AWI_MODULE_PATH -Force
    # Cluster updates take one second, so enabling a cluster is quick but still a real long-running operation.
    $script:Emulator = Start-ArmEmulatorProcess -ArgumentList '--cluster-operation-seconds', '1'
    $script:Examples = Join-Path $PSScriptRoot '../../examples'
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    # The module's own YamlDotNet reads the manifests and pipeline definitions back.
    Add-Type -Path (Join-Path $env:AWI_MODULE_PATH 'Dependencies/YamlDotNet.dll')

    function Read-Yaml([string] $Text) {
        # One object graph (dictionaries, lists, strings) per document; the exports separate documents with '---'.
        $deserializer = [YamlDotNet.Serialization.Deserializer]::new()
        @($Text -split '(?m)^---\s*$' | Where-Object { $_.Trim() } | ForEach-Object { , $deserializer.Deserialize([System.IO.StringReader]::new($_)) })
    }

    function Get-EmulatorArmToken {
        # A token for ARM from the emulator's Entra ID, as a CI sign-in would hand it over.
        $principal = Get-TestPrincipal Deployer
        $fields = [System.Collections.Generic.Dictionary[string, string]]::new()
        $fields['grant_type'] = 'client_credentials'
        $fields['client_id'] = $principal.ClientId
        $fields['client_secret'] = $principal.Secret
        $fields['scope'] = 'https://management.azure.com/.default'
        $form = [System.Net.Http.FormUrlEncodedContent]::new($fields)
        $response = $script:Emulator.AdminClient.PostAsync("$($script:Emulator.Url.TrimEnd('/'))/$($script:Emulator.TenantId)/oauth2/v2.0/token", $form).GetAwaiter().GetResult()
        $response.EnsureSuccessStatusCode() | Out-Null
        ($response.Content.ReadAsStringAsync().GetAwaiter().GetResult() | ConvertFrom-Json).access_token
    }

    function Invoke-EmulatorArm([string] $Method, [string] $PathAndQuery) {
        $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), "$($script:Emulator.Url.TrimEnd('/'))$PathAndQuery")
        $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', (Get-EmulatorArmToken))
        $response = $script:Emulator.AdminClient.SendAsync($request).GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) { throw "ARM $Method $PathAndQuery answered $([int]$response.StatusCode)" }
    }

    function Get-EmulatorState { Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Path state }

    function Get-ClusterFlags([string] $Name) {
        $status = Test-AksWorkloadIdentity rg-astronetes $Name -ErrorAction SilentlyContinue
        [pscustomobject]@{ Oidc = $status.OidcIssuerEnabled; WorkloadIdentity = $status.WorkloadIdentityEnabled; Ready = $status.IsReady }
    }

    # The connection swap for the CI definitions: whatever they pass, plus the emulator's endpoints and certificate.
    $script:ConnectionSwap = {
        function Connect-AgentAzure {
            [CmdletBinding()]
            param([securestring] $AccessToken, [string] $TenantId, [string] $SubscriptionId)
            AstronetesWorkloadIdentity\Connect-AgentAzure @PSBoundParameters -ArmEndpoint $script:Emulator.Url -AuthorityHost $script:Emulator.Url `
                -TrustedCertificateThumbprint $script:Emulator.Thumbprint
        }
    }
}

AfterAll {
    Stop-ArmEmulatorProcess -Emulator $script:Emulator
}

Describe 'examples/' {
    BeforeEach {
        Invoke-ArmEmulatorAdmin -Emulator $script:Emulator -Method POST -Path reset
        Connect-TestArmEmulator -Emulator $script:Emulator | Out-Null
    }

    It 'Set-AgentWorkloadIdentity.ps1 enables the cluster, sets up the agent and writes its ServiceAccount; a re-run writes nothing' {
        (Get-ClusterFlags aks-no-oidc).Ready | Should -BeFalse

        $manifest = & (Join-Path $script:Examples 'Set-AgentWorkloadIdentity.ps1') -ResourceGroupName rg-astronetes -ClusterName aks-no-oidc -AgentName my-agent

        (Get-ClusterFlags aks-no-oidc).Ready | Should -BeTrue
        $identity = @((Get-EmulatorState).identities | Where-Object name -eq 'astronetes-azure-agent')
        $identity | Should -HaveCount 1
        $serviceAccount = @(Read-Yaml ($manifest -join "`n"))
        $serviceAccount | Should -HaveCount 1
        $serviceAccount[0]['kind'] | Should -Be 'ServiceAccount'
        $serviceAccount[0]['metadata']['name'] | Should -Be 'my-agent'
        $serviceAccount[0]['metadata']['namespace'] | Should -Be 'resiliency-system'
        $serviceAccount[0]['metadata']['annotations']['azure.workload.identity/client-id'] | Should -Be $identity[0].clientId
        $serviceAccount[0]['metadata']['annotations']['azure.workload.identity/tenant-id'] | Should -Be $script:Emulator.TenantId

        $writes = Get-EmulatorWriteCount $script:Emulator
        $again = & (Join-Path $script:Examples 'Set-AgentWorkloadIdentity.ps1') rg-astronetes aks-no-oidc my-agent
        Get-EmulatorWriteCount $script:Emulator | Should -Be $writes
        $again | Should -Be $manifest
    }

    It 'Set-AgentWorkloadIdentityFromCsv.ps1 sets up every agent of agents.csv and writes one manifest each' {
        # The sample CSV as it is, pointed at the emulator's cluster.
        $csv = Join-Path $TestDrive 'agents.csv'
        Import-Csv (Join-Path $script:Examples 'agents.csv') | ForEach-Object { $_.ClusterName = 'aks-ready'; $_ } | Export-Csv $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $out = Join-Path $TestDrive 'agents.yaml'

        $summary = & (Join-Path $script:Examples 'Set-AgentWorkloadIdentityFromCsv.ps1') -CsvPath $csv -Path $out

        @($summary).ServiceAccountName | Should -Be $rows.AgentName
        $documents = @(Read-Yaml (Get-Content $out -Raw))
        $documents | ForEach-Object { $_['metadata']['name'] } | Should -Be $rows.AgentName
        $documents | ForEach-Object { $_['metadata']['namespace'] } | Should -Be $rows.Namespace
        $credentials = @((Get-EmulatorState).identities | ForEach-Object { $_.federatedIdentityCredentials })
        $credentials | Should -HaveCount $rows.Count
    }

    It 'Repair-ClusterAgents.ps1 finds the agents of a cluster, repairs a lost role assignment and reports every check passing' {
        $configuration = New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName my-agent
        $null = New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName other-agent -IdentityName other-identity
        Invoke-EmulatorArm DELETE "$($configuration.RoleAssignmentId)?api-version=2022-04-01"

        $results = & (Join-Path $script:Examples 'Repair-ClusterAgents.ps1') -ResourceGroupName rg-astronetes -ClusterName aks-ready -WarningVariable warnings 3>$null

        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -Match '^RoleAssignment:'
        @($results | Select-Object -ExpandProperty ServiceAccountName -Unique) | Sort-Object | Should -Be @('my-agent', 'other-agent')
        @($results | Where-Object Result -ne 'Pass') | Should -HaveCount 0
        $principal = @((Get-EmulatorState).identities | Where-Object name -eq 'astronetes-azure-agent')[0].principalId
        @((Get-EmulatorState).roleAssignments | Where-Object principalId -eq $principal) | Should -HaveCount 1
    }

    It 'Remove-AgentWorkloadIdentitySetup.ps1 leaves nothing behind, and keeps a shared identity with -KeepIdentity' {
        $null = New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName first-agent
        $null = New-AgentWorkloadIdentity -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName second-agent
        $teardown = Join-Path $script:Examples 'Remove-AgentWorkloadIdentitySetup.ps1'

        $null = & $teardown -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName first-agent -KeepIdentity
        $identity = @((Get-EmulatorState).identities | Where-Object name -eq 'astronetes-azure-agent')
        $identity | Should -HaveCount 1
        @($identity[0].federatedIdentityCredentials).Count | Should -Be 1

        $null = & $teardown -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName second-agent
        $state = Get-EmulatorState
        @($state.identities | Where-Object name -eq 'astronetes-azure-agent') | Should -HaveCount 0
        @($state.roleAssignments | Where-Object principalId -eq $identity[0].principalId) | Should -HaveCount 0
        # Idempotent: a second teardown finds nothing to do and does not fail.
        $null = & $teardown -ResourceGroupName rg-astronetes -ClusterName aks-ready -AgentName second-agent
    }

    It 'ci/azure-pipelines.yml: the AzurePowerShell@5 step (pwsh, workload identity connection) runs with the Az sign-in swapped for the emulator' {
        $pipeline = @(Read-Yaml (Get-Content (Join-Path $script:Examples 'ci/azure-pipelines.yml') -Raw))[0]
        $task = @($pipeline['steps'] | Where-Object { $_['task'] -eq 'AzurePowerShell@5' })
        $task | Should -HaveCount 1
        $task[0]['inputs']['pwsh'] | Should -Be 'true'
        $task[0]['inputs']['azureSubscription'] | Should -Not -BeNullOrEmpty
        $script = $task[0]['inputs']['Inline']
        foreach ($name in 'resourceGroupName', 'clusterName', 'agentName') { $pipeline['variables'][$name] | Should -Not -BeNullOrEmpty }
        # Azure DevOps expands $(name) before the script runs; the emulator's cluster replaces the sample's.
        $macros = @{ '$(resourceGroupName)' = 'rg-astronetes'; '$(clusterName)' = 'aks-no-wi'; '$(agentName)' = 'pipeline-agent'; '$(Build.ArtifactStagingDirectory)' = "$TestDrive" }
        foreach ($macro in $macros.Keys) { $script = $script.Replace($macro, $macros[$macro]) }

        # What AzurePowerShell@5 provides: an Az context and Get-AzAccessToken; here they hand out the emulator's token.
        function Get-AzContext { [pscustomobject]@{ Tenant = @{ Id = $script:Emulator.TenantId }; Subscription = @{ Id = $script:Emulator.SubscriptionId } } }
        function Get-AzAccessToken([string] $ResourceUrl, [switch] $AsSecureString) {
            $ResourceUrl | Should -Be 'https://management.azure.com/'
            [pscustomobject]@{ Token = ConvertTo-SecureString (Get-EmulatorArmToken) -AsPlainText -Force }
        }
        . $script:ConnectionSwap
        Disconnect-AgentAzure
        Push-Location $script:RepoRoot
        try { & ([scriptblock]::Create($script)) } finally { Pop-Location }

        (Get-ClusterFlags aks-no-wi).Ready | Should -BeTrue
        $serviceAccount = @(Read-Yaml (Get-Content (Join-Path $TestDrive 'serviceaccount.yaml') -Raw))[0]
        $serviceAccount['metadata']['name'] | Should -Be 'pipeline-agent'
        $serviceAccount['metadata']['annotations']['azure.workload.identity/client-id'] | Should -Be @((Get-EmulatorState).identities)[0].clientId
    }

    It 'ci/github-actions-workflow.yml: after azure/login (OIDC) the pwsh step runs with the sign-in swapped for the emulator' {
        $workflow = @(Read-Yaml (Get-Content (Join-Path $script:Examples 'ci/github-actions-workflow.yml') -Raw))[0]
        $workflow['permissions']['id-token'] | Should -Be 'write'
        $steps = @($workflow['jobs']['setup']['steps'])
        $login = @($steps | Where-Object { "$($_['uses'])" -like 'azure/login@*' })
        $login | Should -HaveCount 1
        $login[0]['with'].Keys | Sort-Object | Should -Be @('client-id', 'subscription-id', 'tenant-id')
        $step = @($steps | Where-Object { $_['shell'] -eq 'pwsh' -and "$($_['run'])" -match 'Connect-AgentAzure' })
        $step | Should -HaveCount 1
        [array]::IndexOf($steps, $login[0]) | Should -BeLessThan ([array]::IndexOf($steps, $step[0]))
        $script = $step[0]['run'].Replace('aks-prod', 'aks-no-oidc')

        # azure/login leaves a signed-in Azure CLI for the default credential chain; here the chain's environment
        # credential signs in to the emulator instead, with the step's own env block.
        $vars = @{ '${{ vars.AZURE_TENANT_ID }}' = $script:Emulator.TenantId; '${{ vars.AZURE_SUBSCRIPTION_ID }}' = $script:Emulator.SubscriptionId }
        $principal = Get-TestPrincipal Deployer
        $environment = @{ AZURE_CLIENT_ID = $principal.ClientId; AZURE_CLIENT_SECRET = $principal.Secret; AZURE_TENANT_ID = $script:Emulator.TenantId }
        foreach ($name in $step[0]['env'].Keys) { $environment[$name] = $vars[$step[0]['env'][$name]] }
        $saved = @{}
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        . $script:ConnectionSwap
        Disconnect-AgentAzure
        Push-Location $TestDrive
        try {
            # The step runs at the checkout's root; its relative paths resolve there, its output lands in TestDrive.
            $script = $script.Replace('./out/', "$script:RepoRoot/out/").Replace('./examples/', "$script:RepoRoot/examples/")
            & ([scriptblock]::Create($script))
        }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }

        (Get-ClusterFlags aks-no-oidc).Ready | Should -BeTrue
        $serviceAccount = @(Read-Yaml (Get-Content (Join-Path $TestDrive 'serviceaccount.yaml') -Raw))[0]
        $serviceAccount['metadata']['name'] | Should -Be 'my-agent'
    }
}

Describe 'Export-AgentConfiguration in the built module' {
    It 'ships YamlDotNet in Dependencies/ and loads it into the module''s private load context, not the default one' {
        Test-Path (Join-Path $env:AWI_MODULE_PATH 'Dependencies/YamlDotNet.dll') | Should -BeTrue
        Test-Path (Join-Path $env:AWI_MODULE_PATH 'YamlDotNet.dll') | Should -BeFalse
        Import-Module (Join-Path $PSScriptRoot 'FreshPwsh.psm1') -Force
        $result = Invoke-FreshPwsh -Parameters @{ ModulePath = $env:AWI_MODULE_PATH } -Script @'
Import-Module $P.ModulePath
$yaml = Export-AgentConfiguration Yaml -ClientId 11111111-2222-3333-4444-555555555555 -TenantId 66666666-7777-8888-9999-000000000000 `
    -SubscriptionId 9a7d3c1e-4b2f-4e8a-b6c5-1f0e2d3c4b5a -Namespace resiliency-system -ServiceAccountName my-agent
$loaded = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'YamlDotNet' }
[pscustomobject]@{
    Contexts = @($loaded | ForEach-Object { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name })
    FirstLine = ($yaml -split "`n")[0]
} | ConvertTo-Json -Compress
'@
        $result.Contexts | Should -HaveCount 1
        $result.Contexts[0] | Should -Not -Be 'Default'
        $result.FirstLine | Should -Be 'clientId: 11111111-2222-3333-4444-555555555555'
    }
}
