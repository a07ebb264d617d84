<#
.SYNOPSIS
Bulk setup: every agent listed in a CSV file, several at a time, and one ServiceAccount manifest for all of them.

.DESCRIPTION
The CSV has the columns ResourceGroupName, ClusterName and AgentName, and optionally Namespace, IdentityName,
IdentityResourceGroupName, Location, RoleDefinitionName, Scope and SubscriptionId (see agents.csv). They bind to
New-AgentWorkloadIdentity by name. Agents run -ThrottleLimit at a time; the output keeps the CSV's order.
An agent that fails writes its error and the others go on.

Sign in first: Connect-AgentAzure, or 'az login'.

.EXAMPLE
./Set-AgentWorkloadIdentityFromCsv.ps1 -CsvPath ./agents.csv -Path ./agents.serviceaccounts.yaml
kubectl apply -f ./agents.serviceaccounts.yaml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $CsvPath,
    # Where to write the manifests (one YAML document per agent).
    [Parameter(Mandatory)] [string] $Path,
    [int] $ThrottleLimit = 4
)
$ErrorActionPreference = 'Stop'

$configurations = Import-Csv -LiteralPath $CsvPath | New-AgentWorkloadIdentity -ThrottleLimit $ThrottleLimit -ErrorAction Continue
$configurations | Export-AgentConfiguration -Format ServiceAccount -Path $Path
# A summary for the log: which agent got which identity.
$configurations | Select-Object ServiceAccountName, Namespace, ClientId, IdentityAction, FederatedCredentialAction
