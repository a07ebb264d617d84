# Template: build.ps1 stamps the version from Directory.Build.props into out/AstronetesWorkloadIdentity/.
@{
    RootModule            = 'AstronetesWorkloadIdentity.dll'
    ModuleVersion         = '{{ModuleVersion}}'
    GUID                  = '5b0d7a47-8c55-4a4e-9c53-2f3a6f3f4d1e'
    Author                = 'AstronetesWorkloadIdentity contributors'
    CompanyName           = 'AstronetesWorkloadIdentity'
    Copyright             = '(c) AstronetesWorkloadIdentity contributors. MIT licence.'
    Description           = 'Sets up Azure Workload Identity for an Astronetes resiliency-operator agent on AKS: checks the cluster, creates the managed identity, assigns Reader, creates the federated credential and returns the agent configuration, idempotently and with -WhatIf.'
    CompatiblePSEditions  = @('Core')
    PowerShellVersion     = '7.4'
    # No FormatsToProcess: the views load on the first command (Output/FormatViews.cs), so import stays cheap.
    CmdletsToExport       = @(
        'Connect-AgentAzure'
        'Disconnect-AgentAzure'
        'Get-AgentAzureContext'
        'Test-AksWorkloadIdentity'
        'Enable-AksWorkloadIdentity'
        'New-AgentManagedIdentity'
        'New-AgentRoleAssignment'
        'New-AgentFederatedCredential'
        'New-AgentWorkloadIdentity'
        'Get-AgentWorkloadIdentity'
        'Test-AgentWorkloadIdentity'
        'Repair-AgentWorkloadIdentity'
        'Remove-AgentWorkloadIdentity'
        'Export-AgentConfiguration'
    )
    FunctionsToExport     = @()
    AliasesToExport       = @()
    VariablesToExport     = @()
    PrivateData           = @{
        PSData = @{
            Tags         = @('Azure', 'AKS', 'WorkloadIdentity', 'ManagedIdentity', 'FederatedCredential', 'Astronetes', 'Kubernetes', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            LicenseUri   = 'https://github.com/astronetes/AstronetesWorkloadIdentity/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/astronetes/AstronetesWorkloadIdentity'
            ReleaseNotes = '{{ReleaseNotes}}'
        }
    }
}
