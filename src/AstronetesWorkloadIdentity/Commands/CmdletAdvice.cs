namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>Advice the cmdlets add to the engine's findings and rules: the engine reports, the cmdlets advise.</summary>
    internal static class CmdletAdvice
    {
        /// <summary>After the known-region rule of a user-typed -Location.</summary>
        public const string UnknownRegion = "Check the spelling with 'az account list-locations --query [].name' or Get-AzLocation; "
            + "for a real region newer than the module's list, create the identity in it with 'az identity create' and pass it by name.";
    }
}
