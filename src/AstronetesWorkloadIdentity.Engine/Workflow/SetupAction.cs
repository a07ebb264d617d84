namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Skipped = not written (-WhatIf or declined). Adopted = an equivalent resource under another name was reused.
    /// Updated = rewritten in place (repair). Deleted = removed; Absent = there was nothing to remove. Blocked = the plan
    /// could not do it (a finding says why). Failed = the write was tried and failed.
    /// </summary>
    public enum SetupAction { Created, Existing, Adopted, Skipped, Updated, Deleted, Absent, Blocked, Failed }
}
