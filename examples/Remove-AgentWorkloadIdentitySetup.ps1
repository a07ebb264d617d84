<#
.SYNOPSIS
Teardown: remove one agent's federated credential, role assignment and managed identity.

.DESCRIPTION
Removes, in that order, what the setup created for the agent. Idempotent: what is already gone is skipped. When
other agents still use the same identity, pass -KeepIdentity: only this agent's credential goes. The cluster's OIDC
issuer stays on (it cannot be turned off).

Sign in first: Connect-AgentAzure, or 'az login'.

.EXAMPLE
./Remove-AgentWorkloadIdentitySetup.ps1 -ResourceGroupName rg-astronetes -ClusterName aks-prod -AgentName my-agent
kubectl delete serviceaccount my-agent -n resiliency-system
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ResourceGroupName,
    [Parameter(Mandatory)] [string] $ClusterName,
    [Parameter(Mandatory)] [string] $AgentName,
    [string] $Namespace = 'resiliency-system',
    [string] $IdentityName = 'astronetes-azure-agent',
    [switch] $KeepIdentity
)
$ErrorActionPreference = 'Stop'

Remove-AgentWorkloadIdentity -ResourceGroupName $ResourceGroupName -ClusterName $ClusterName -AgentName $AgentName `
    -Namespace $Namespace -IdentityName $IdentityName -KeepIdentity:$KeepIdentity -Confirm:$false
