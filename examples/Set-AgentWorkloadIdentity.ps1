<#
.SYNOPSIS
The one-line setup against Azure: turn the cluster on, set up the agent, write its Kubernetes ServiceAccount.

.DESCRIPTION
For one Astronetes agent on one AKS cluster:
1. Enable-AksWorkloadIdentity turns on the cluster's OIDC issuer and workload identity if they are off
   (a long-running update; a cluster that already has both is not touched).
2. New-AgentWorkloadIdentity creates (or finds) the managed identity, assigns it Reader on the subscription and
   federates the agent's service account with the cluster's issuer.
3. Export-AgentConfiguration writes the ServiceAccount manifest with the client and tenant ID annotations.
Running it again changes nothing.

Sign in first: Connect-AgentAzure, or 'az login' (the default credential chain uses the Azure CLI's sign-in).
The OIDC issuer cannot be turned off again once it is on.

.EXAMPLE
./Set-AgentWorkloadIdentity.ps1 -ResourceGroupName rg-astronetes -ClusterName aks-prod -AgentName my-agent | kubectl apply -f -

.EXAMPLE
./Set-AgentWorkloadIdentity.ps1 rg-astronetes aks-prod my-agent -Path ./my-agent.serviceaccount.yaml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ResourceGroupName,
    [Parameter(Mandatory)] [string] $ClusterName,
    # Also the name of the agent's Kubernetes service account.
    [Parameter(Mandatory)] [string] $AgentName,
    [string] $Namespace = 'resiliency-system',
    # Where to write the ServiceAccount manifest; without it the manifest is the script's output.
    [string] $Path
)
$ErrorActionPreference = 'Stop'
$export = @{ Format = 'ServiceAccount' }
if ($Path) { $export.Path = $Path }

Enable-AksWorkloadIdentity -ResourceGroupName $ResourceGroupName -ClusterName $ClusterName -Confirm:$false |
    New-AgentWorkloadIdentity -AgentName $AgentName -Namespace $Namespace |
    Export-AgentConfiguration @export
