# The built module's surface as a user meets it: output types with views, ShouldProcess, the connection.
# Exports and import cost are covered by ModuleLoading.Tests.ps1.
BeforeAll {
    if (-not $env:AWI_MODULE_PATH) { throw 'AWI_MODULE_PATH must point at the built module (out/AstronetesWorkloadIdentity).' }
    Import-Module $env:AWI_MODULE_PATH -Force
    $script:Commands = Get-Command -Module AstronetesWorkloadIdentity
    # Views load with the first command, not at import (see ModuleLoading.Tests.ps1).
    $null = Get-AgentAzureContext
}

Describe 'The module' {
    It 'declares an output type with a table view for every cmdlet' {
        foreach ($command in $script:Commands) {
            $command.OutputType | Should -Not -BeNullOrEmpty -Because "$($command.Name) declares [OutputType]"
            foreach ($type in $command.OutputType.Type | Where-Object { $_.Namespace -eq 'AstronetesWorkloadIdentity' }) {
                Get-FormatData -TypeName $type.FullName | Should -Not -BeNullOrEmpty -Because "$($type.FullName) needs a view"
            }
        }
    }

    It 'supports -WhatIf and -Confirm on every New- cmdlet' {
        foreach ($command in $script:Commands | Where-Object Verb -eq 'New') {
            $command.Parameters.Keys | Should -Contain 'WhatIf'
            $command.Parameters.Keys | Should -Contain 'Confirm'
        }
    }

    It 'documents -WhatIf and -Confirm of every New- cmdlet in its syntax and parameters' {
        foreach ($command in $script:Commands | Where-Object Verb -eq 'New') {
            $help = Get-Help $command.Name -Full
            $documented = @($help.parameters.parameter | ForEach-Object name)
            $documented | Should -Contain 'WhatIf' -Because "$($command.Name) supports ShouldProcess"
            $documented | Should -Contain 'Confirm' -Because "$($command.Name) supports ShouldProcess"
            foreach ($item in @($help.syntax.syntaxItem)) {
                @($item.parameter | ForEach-Object name) | Should -Contain 'WhatIf'
            }
            "$(($help.parameters.parameter | Where-Object name -eq 'WhatIf').description.Text)" | Should -BeLike 'Shows what would happen*'
        }
    }

    It 'shows a parameter default as its default value, not as prose' {
        $role = Get-Help New-AgentRoleAssignment -Parameter RoleDefinitionName
        $role.defaultValue | Should -Be 'Reader'
        "$($role.description.Text)" | Should -Not -BeLike '*Default value:*'
        (Get-Help New-AgentFederatedCredential -Parameter Namespace).defaultValue | Should -Be 'resiliency-system'
        (Get-Help New-AgentRoleAssignment -Parameter Scope).defaultValue | Should -BeLike '/subscriptions/*'
        (Get-Help New-AgentManagedIdentity -Parameter Location).defaultValue | Should -BeLike "*resource group's location*"
        (Get-Help New-AgentManagedIdentity -Parameter ResourceGroupName).defaultValue | Should -BeLike "*cluster's resource group*"
        (Get-Help New-AgentManagedIdentity -Parameter Name).defaultValue | Should -Be 'None'
    }

    It 'connects without a network call and describes the context without a secret' {
        $context = Connect-AgentAzure -Environment AzureChinaCloud -SubscriptionId 00000000-0000-0000-0000-000000000001 -TenantId 00000000-0000-0000-0000-000000000002
        $context.Environment | Should -Be 'AzureChinaCloud'
        $context.ArmEndpoint | Should -Be 'https://management.chinacloudapi.cn/'
        $context.SubscriptionSource | Should -Not -BeNullOrEmpty
        (Get-AgentAzureContext).Environment | Should -Be 'AzureChinaCloud'
        Disconnect-AgentAzure
        (Get-AgentAzureContext).Environment | Should -Be 'AzureCloud'
    }
}
