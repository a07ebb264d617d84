namespace ArmEmulator;

/// <summary>Keys of HttpContext.Items shared by the pipeline stages.</summary>
internal static class PipelineItems
{
    public const string Route = "ArmEmulator.Route";
    public const string Caller = "ArmEmulator.Caller";
    /// <summary>Overrides the status recorded in the request log (e.g. 0 for a dropped connection).</summary>
    public const string LoggedStatus = "ArmEmulator.LoggedStatus";
}
