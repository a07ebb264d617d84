namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Skipped = not written (-WhatIf or declined). Adopted = an equivalent resource under another name was reused.</summary>
    public enum SetupAction { Created, Existing, Adopted, Skipped }
}
