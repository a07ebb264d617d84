<#
.SYNOPSIS
Generates the module's MAML help from docs/en-US/<Cmdlet>.md and the built cmdlets' metadata,
and fails when a cmdlet or parameter has no help.

.DESCRIPTION
platyPS is not available here, so this does its job for the subset we use. The markdown keeps
platyPS's headings (SYNOPSIS, DESCRIPTION, EXAMPLES with "### Example N: title", PARAMETERS with
"### -Name", INPUTS, OUTPUTS, NOTES, RELATED LINKS); syntax, types, pipeline input and mandatory flags come from
the cmdlets themselves, so the help cannot drift from the code. Runs in its own pwsh because it
imports the built module.

-WhatIf and -Confirm of a cmdlet that supports ShouldProcess are documented like its own parameters
(in SYNTAX and PARAMETERS, and they need a "### -WhatIf" / "### -Confirm" entry); the other common
parameters are not. A paragraph "Default value: <text>" in a parameter's entry becomes its
<dev:defaultValue> and is left out of the description.

.PARAMETER ModulePath
The built module folder.

.PARAMETER DocsPath
The folder of <Cmdlet>.md files.

.PARAMETER OutputPath
The culture folder to write <assembly>-Help.xml into.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# Import-Module reads a relative path without './' as a module name.
$module = Import-Module (Resolve-Path $ModulePath).Path -PassThru
# -WhatIf and -Confirm belong to the cmdlets that support ShouldProcess, so their help shows them (as platyPS does).
$shouldProcessParameters = 'WhatIf', 'Confirm'
$common = [System.Management.Automation.PSCmdlet]::CommonParameters +
    @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters | Where-Object { $_ -notin $shouldProcessParameters })

function Read-HelpMarkdown([string] $Path) {
    # Splits the file into "## SECTION" blocks and, inside EXAMPLES and PARAMETERS, "### item" blocks.
    $sections = @{}
    $current = $null
    $item = $null
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^## (.+)$') {
            $current = $Matches[1].Trim().ToUpperInvariant()
            $sections[$current] = [ordered]@{ Text = [System.Collections.Generic.List[string]]::new(); Items = [ordered]@{} }
            $item = $null
        }
        elseif ($line -match '^### (.+)$' -and $current) {
            $item = $Matches[1].Trim()
            $sections[$current].Items[$item] = [System.Collections.Generic.List[string]]::new()
        }
        elseif ($current) {
            if ($item) { $sections[$current].Items[$item].Add($line) } else { $sections[$current].Text.Add($line) }
        }
    }
    $sections
}

function ConvertTo-Paragraphs([string[]] $Lines) {
    # Blank lines separate paragraphs; lines inside one paragraph are joined with spaces.
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    foreach ($line in @($Lines) + '') {
        if ([string]::IsNullOrWhiteSpace($line)) {
            if ($buffer.Count) { $paragraphs.Add(($buffer -join ' ').Trim()); $buffer.Clear() }
        }
        else { $buffer.Add($line.Trim()) }
    }
    , $paragraphs
}

function Split-Example([string[]] $Lines) {
    $code = [System.Collections.Generic.List[string]]::new()
    $remarks = [System.Collections.Generic.List[string]]::new()
    $inCode = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inCode = -not $inCode; continue }
        if ($inCode) { $code.Add($line) } else { $remarks.Add($line) }
    }
    [pscustomobject]@{ Code = ($code -join "`n").Trim(); Remarks = ConvertTo-Paragraphs $remarks }
}

$problems = [System.Collections.Generic.List[string]]::new()
$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
New-Item -ItemType Directory -Force $OutputPath | Out-Null
$assemblyName = [System.IO.Path]::GetFileName($module.Path)
$writer = [System.Xml.XmlWriter]::Create((Join-Path $OutputPath "$assemblyName-Help.xml"), $settings)

function Write-Para([string] $Text) { $writer.WriteElementString('maml', 'para', $ns.maml, $Text) }
function Write-Description([string[]] $Paragraphs) {
    $writer.WriteStartElement('maml', 'description', $ns.maml)
    foreach ($p in $Paragraphs) { Write-Para $p }
    $writer.WriteEndElement()
}
function Get-PipelineInput($Parameter) {
    $kinds = @(foreach ($set in $Parameter.ParameterSets.Values) {
            if ($set.ValueFromPipeline) { 'ByValue' }
            if ($set.ValueFromPipelineByPropertyName) { 'ByPropertyName' }
        }) | Select-Object -Unique
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}
function Split-DefaultValue([string[]] $Paragraphs) {
    # "Default value: Reader" is the parameter's default, shown by Get-Help as such rather than as prose.
    $description = [System.Collections.Generic.List[string]]::new()
    $default = $null
    foreach ($p in $Paragraphs) {
        if ($p -match '^Default value:\s*(.+)$') { $default = $Matches[1].Trim() } else { $description.Add($p) }
    }
    [pscustomobject]@{ Description = @($description); Default = $default }
}
function Write-Parameter($Parameter, [string[]] $Description, [bool] $Mandatory, [string] $Position, [string] $DefaultValue) {
    $writer.WriteStartElement('command', 'parameter', $ns.command)
    $writer.WriteAttributeString('required', "$Mandatory".ToLowerInvariant())
    $writer.WriteAttributeString('variableLength', 'true')
    $writer.WriteAttributeString('globbing', 'false')
    $writer.WriteAttributeString('pipelineInput', (Get-PipelineInput $Parameter))
    $writer.WriteAttributeString('position', $Position)
    $writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $writer.WriteElementString('maml', 'name', $ns.maml, $Parameter.Name)
    Write-Description $Description
    $isSwitch = $Parameter.ParameterType -eq [switch]
    if (-not $isSwitch) {
        $writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $writer.WriteAttributeString('required', 'true')
        $writer.WriteAttributeString('variableLength', 'false')
        $writer.WriteString($Parameter.ParameterType.Name)
        $writer.WriteEndElement()
    }
    $writer.WriteStartElement('dev', 'type', $ns.dev)
    $writer.WriteElementString('maml', 'name', $ns.maml, $Parameter.ParameterType.FullName)
    $writer.WriteEndElement()
    $default = if ($DefaultValue) { $DefaultValue } elseif ($isSwitch) { 'False' } else { 'None' }
    $writer.WriteElementString('dev', 'defaultValue', $ns.dev, $default)
    $writer.WriteEndElement()
}

$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')
foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $doc = Join-Path $DocsPath "$($cmd.Name).md"
    if (-not (Test-Path $doc)) { $problems.Add("$($cmd.Name): no help file $doc"); continue }
    $md = Read-HelpMarkdown $doc
    $synopsis = if ($md['SYNOPSIS']) { ConvertTo-Paragraphs $md['SYNOPSIS'].Text } else { @() }
    $description = if ($md['DESCRIPTION']) { ConvertTo-Paragraphs $md['DESCRIPTION'].Text } else { @() }
    $examples = if ($md['EXAMPLES']) { $md['EXAMPLES'].Items } else { @{} }
    $parameterDocs = if ($md['PARAMETERS']) { $md['PARAMETERS'].Items } else { @{} }
    if (-not $synopsis.Count) { $problems.Add("$($cmd.Name): no SYNOPSIS") }
    if (-not $description.Count) { $problems.Add("$($cmd.Name): no DESCRIPTION") }
    if ($examples.Count -lt 2) { $problems.Add("$($cmd.Name): $($examples.Count) example(s), at least 2 needed") }
    $parameters = @($cmd.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name)
    $parameterText = @{}
    $parameterDefault = @{}
    foreach ($p in $parameters) {
        $paragraphs = if ($parameterDocs.Contains("-$($p.Name)")) { ConvertTo-Paragraphs $parameterDocs["-$($p.Name)"] } else { @() }
        $split = Split-DefaultValue $paragraphs
        if (-not $split.Description.Count) { $problems.Add("$($cmd.Name): parameter -$($p.Name) has no help") }
        $parameterText[$p.Name] = $split.Description
        $parameterDefault[$p.Name] = $split.Default
    }
    foreach ($documented in $parameterDocs.Keys) {
        if ($documented.TrimStart('-') -notin $parameters.Name) { $problems.Add("$($cmd.Name): help documents -$($documented.TrimStart('-')), which the cmdlet does not have") }
    }

    $verb, $noun = $cmd.Name -split '-', 2
    $writer.WriteStartElement('command', 'command', $ns.command)
    $writer.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $writer.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $writer.WriteStartElement('command', 'details', $ns.command)
    $writer.WriteElementString('command', 'name', $ns.command, $cmd.Name)
    $writer.WriteElementString('command', 'verb', $ns.command, $verb)
    $writer.WriteElementString('command', 'noun', $ns.command, $noun)
    Write-Description $synopsis
    $writer.WriteEndElement()
    Write-Description $description

    $writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $cmd.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $writer.WriteElementString('maml', 'name', $ns.maml, $cmd.Name)
        foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $common }) {
            $full = $cmd.Parameters[$sp.Name]
            $position = if ($sp.Position -ge 0) { "$($sp.Position)" } else { 'named' }
            Write-Parameter $full $parameterText[$sp.Name] $sp.IsMandatory $position $parameterDefault[$sp.Name]
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $parameters) {
        $mandatory = @($p.ParameterSets.Values | Where-Object IsMandatory).Count -gt 0
        $positions = @($p.ParameterSets.Values | Where-Object Position -ge 0 | ForEach-Object Position | Sort-Object -Unique)
        Write-Parameter $p $parameterText[$p.Name] $mandatory $(if ($positions.Count) { "$($positions[0])" } else { 'named' }) $parameterDefault[$p.Name]
    }
    $writer.WriteEndElement()

    foreach ($kind in @(@{ Section = 'INPUTS'; Element = 'inputTypes'; Item = 'inputType' }, @{ Section = 'OUTPUTS'; Element = 'returnValues'; Item = 'returnValue' })) {
        $writer.WriteStartElement('command', $kind.Element, $ns.command)
        if ($md[$kind.Section]) {
            foreach ($typeName in $md[$kind.Section].Items.Keys) {
                $writer.WriteStartElement('command', $kind.Item, $ns.command)
                $writer.WriteStartElement('dev', 'type', $ns.dev)
                $writer.WriteElementString('maml', 'name', $ns.maml, $typeName)
                $writer.WriteEndElement()
                Write-Description (ConvertTo-Paragraphs $md[$kind.Section].Items[$typeName])
                $writer.WriteEndElement()
            }
        }
        $writer.WriteEndElement()
    }
    if ($md['NOTES']) {
        $writer.WriteStartElement('maml', 'alertSet', $ns.maml)
        $writer.WriteStartElement('maml', 'alert', $ns.maml)
        foreach ($p in ConvertTo-Paragraphs $md['NOTES'].Text) { Write-Para $p }
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'examples', $ns.command)
    foreach ($title in $examples.Keys) {
        $example = Split-Example $examples[$title]
        if (-not $example.Code) { $problems.Add("$($cmd.Name): '$title' has no code") }
        $writer.WriteStartElement('command', 'example', $ns.command)
        $writer.WriteElementString('maml', 'title', $ns.maml, "-------------------------- $title --------------------------")
        $writer.WriteElementString('dev', 'code', $ns.dev, $example.Code)
        $writer.WriteStartElement('dev', 'remarks', $ns.dev)
        foreach ($p in $example.Remarks) { Write-Para $p }
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    # "[text](uri)" lines, as platyPS writes them; an empty uri names another help topic. Get-Help -Online opens the first uri.
    $links = @(if ($md['RELATED LINKS']) {
            foreach ($line in $md['RELATED LINKS'].Text) { if ($line -match '^\s*\[([^\]]+)\]\(([^)]*)\)\s*$') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } } }
        })
    if (-not ($links | Where-Object Text -eq 'about_AstronetesWorkloadIdentity')) { $problems.Add("$($cmd.Name): RELATED LINKS does not name about_AstronetesWorkloadIdentity") }
    if (-not ($links | Where-Object Uri -match '^https://')) { $problems.Add("$($cmd.Name): RELATED LINKS has no online (https) link") }
    $writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in $links) {
        $writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $writer.WriteElementString('maml', 'linkText', $ns.maml, $link.Text)
        $writer.WriteElementString('maml', 'uri', $ns.maml, $link.Uri)
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndElement()
}
$writer.WriteEndElement()
$writer.Dispose()

if ($problems.Count) {
    $problems | ForEach-Object { Write-Host "help: $_" }
    Write-Error "The help is incomplete: $($problems.Count) problem(s) above. Add them to $DocsPath."
    exit 1
}
Write-Host "Help for $(@(Get-Command -Module $module.Name).Count) cmdlets written to $OutputPath"
