# What a new user reads: the licence the manifest points at, help that links onward, and Connect-AgentAzure examples
# that are complete lines (every variable they use is set in the same example, every parameter binds).
BeforeDiscovery {
    # The module is imported only when the tests run; the manifest names its cmdlets already at discovery.
    $cmdlets = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../module/AstronetesWorkloadIdentity.psd1')).CmdletsToExport
}

BeforeAll {
    if (-not $env:AWI_MODULE_PATH) { throw 'AWI_MODULE_PATH must point at the built module (out/AstronetesWorkloadIdentity).' }
    Import-Module $env:AWI_MODULE_PATH -Force
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

    function Get-CodeSnippet([string] $Path) {
        # Fenced code blocks, and inline code spans outside them, of a markdown file.
        $text = Get-Content -LiteralPath $Path -Raw
        foreach ($block in [regex]::Matches($text, '(?ms)^```[a-z]*\r?\n(.*?)^```')) { $block.Groups[1].Value }
        $outside = [regex]::Replace($text, '(?ms)^```.*?^```', '')
        foreach ($span in [regex]::Matches($outside, '`([^`\r\n]+)`')) { $span.Groups[1].Value -replace '\\\|', '|' }
    }

    function Test-CompleteConnectLine([string] $Snippet) {
        # Problems with each Connect-AgentAzure call in the snippet; none when it runs as written.
        $tokens = $null; $parseErrors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Snippet, [ref] $tokens, [ref] $parseErrors)
        if ($parseErrors) { return "does not parse: $($parseErrors[0].Message)" }
        $assigned = @($ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true) |
            ForEach-Object { $_.Left.Extent.Text.TrimStart('$') })
        foreach ($call in $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] -and $a.GetCommandName() -eq 'Connect-AgentAzure' }, $true)) {
            $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true)
            foreach ($problem in $binding.BindingExceptions.Values) { "'$($call.Extent.Text)': $($problem.BindingException.Message)" }
            foreach ($variable in $call.FindAll({ param($a) $a -is [System.Management.Automation.Language.VariableExpressionAst] }, $true)) {
                $name = $variable.VariablePath.UserPath
                if ($variable.VariablePath.DriveName -eq 'env' -or $name -in 'true', 'false', 'null') { continue }
                if ($name -notin $assigned) { "'$($call.Extent.Text)' uses `$$name, which the example does not set" }
            }
        }
    }
}

Describe 'The repository as a new user finds it' {
    It 'ships the MIT licence the manifest names' {
        $manifest = Import-PowerShellDataFile (Join-Path $script:Root 'module/AstronetesWorkloadIdentity.psd1')
        $manifest.PrivateData.PSData.LicenseUri | Should -BeLike '*/LICENSE'
        $licence = Join-Path $script:Root 'LICENSE'
        $licence | Should -Exist
        $text = Get-Content $licence -Raw
        $text | Should -Match '^MIT License'
        $text | Should -Match 'Copyright \(c\) AstronetesWorkloadIdentity contributors'
        $text | Should -Match 'THE SOFTWARE IS PROVIDED "AS IS"'
    }

    It 'links the help of <Name> to the about topic and the README online' -ForEach @($cmdlets | ForEach-Object { @{ Name = $_ } }) {
        $links = @((Get-Help $Name -Full).relatedLinks.navigationLink)
        $links.linkText | Should -Contain 'about_AstronetesWorkloadIdentity'
        @($links.uri | Where-Object { $_ -like 'https://github.com/astronetes/AstronetesWorkloadIdentity/blob/main/README.md#*' }) | Should -Not -BeNullOrEmpty
        $anchor = (@($links.uri | Where-Object { $_ -like 'https://*' })[0] -split '#')[1]
        $headings = Get-Content (Join-Path $script:Root 'README.md') | Where-Object { $_ -match '^#+ ' } |
            ForEach-Object { ($_ -replace '^#+ ', '').ToLowerInvariant() -replace '[^a-z0-9 -]', '' -replace ' ', '-' }
        $headings | Should -Contain $anchor -Because 'the online link must land on a README section'
    }

    It 'gives every Connect-AgentAzure example as a complete line in <File>' -ForEach @(
        @('README.md') + @(Get-ChildItem (Join-Path $PSScriptRoot '../../docs/en-US') -Filter *.md | ForEach-Object { "docs/en-US/$($_.Name)" }) |
            ForEach-Object { @{ File = $_ } }
    ) {
        $problems = @(foreach ($snippet in Get-CodeSnippet (Join-Path $script:Root $File)) {
                if ($snippet -match 'Connect-AgentAzure') { Test-CompleteConnectLine $snippet }
            })
        $problems | Should -BeNullOrEmpty
    }

    It 'finds an incomplete Connect-AgentAzure line' {
        Test-CompleteConnectLine 'Connect-AgentAzure -TenantId $t -ServicePrincipal -Credential $sp' | Should -HaveCount 2
        Test-CompleteConnectLine 'Connect-AgentAzure -NoSuchParameter 1' | Should -Not -BeNullOrEmpty
        Test-CompleteConnectLine '$sp = Get-Credential; Connect-AgentAzure -TenantId $env:AZURE_TENANT_ID -ServicePrincipal -Credential $sp' | Should -BeNullOrEmpty
    }
}
