<#
.SYNOPSIS
Audit and repair every agent of a cluster.

.DESCRIPTION
Finds every agent setup federated to the cluster (Get-AgentWorkloadIdentity), runs every check on each
(Test-AgentWorkloadIdentity), repairs what failed (Repair-AgentWorkloadIdentity: a missing role assignment, a
credential on an old issuer, a wrong subject or audience), and checks again. The output is the final check results;
the script fails when a check still fails after the repair. Use -WhatIf to see what would be repaired.

Sign in first: Connect-AgentAzure, or 'az login'.

.EXAMPLE
./Repair-ClusterAgents.ps1 -ResourceGroupName rg-astronetes -ClusterName aks-prod | Format-Table

.EXAMPLE
./Repair-ClusterAgents.ps1 rg-astronetes aks-prod -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $ResourceGroupName,
    [Parameter(Mandatory)] [string] $ClusterName
)
$ErrorActionPreference = 'Stop'

$agents = @(Get-AgentWorkloadIdentity -ResourceGroupName $ResourceGroupName -ClusterName $ClusterName)
Write-Verbose "$($agents.Count) agent(s) federated to cluster '$ClusterName'."
$failing = @($agents | Test-AgentWorkloadIdentity | Where-Object Result -eq 'Fail')
foreach ($check in $failing) { Write-Warning "$($check.Check): $($check.Detail)" }

# Repair each agent with a failing check once.
$broken = @($agents | Where-Object { $agent = $_; $failing | Where-Object { $_.ServiceAccountName -eq $agent.ServiceAccountName -and $_.Namespace -eq $agent.Namespace } })
if ($broken) { $broken | Repair-AgentWorkloadIdentity -Confirm:$false -WhatIf:$WhatIfPreference | Out-Null }
if ($WhatIfPreference) { return }

$final = @($agents | Test-AgentWorkloadIdentity)
$final
$still = @($final | Where-Object Result -eq 'Fail')
if ($still) { throw "$($still.Count) check(s) still fail after the repair: $(($still | ForEach-Object Check) -join ', ')." }
