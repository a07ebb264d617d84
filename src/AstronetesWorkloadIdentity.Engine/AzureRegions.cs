using System.Collections.Generic;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// Azure region names as ARM expects them in <c>location</c> (lower case, no spaces): for tab completion and for
    /// checking a user-typed -Location (<see cref="InputValidator.KnownLocation"/>). A snapshot that lags behind new
    /// regions, so never a check on a location ARM itself reported (<see cref="InputValidator.Location"/> checks the form).
    /// Sources: `az account list-locations`, learn.microsoft.com/azure/reliability/regions-list and Azure.Core 1.64's
    /// AzureLocation (e.g. AzureLocation.DenmarkEast).
    /// </summary>
    public static class AzureRegions
    {
        public static IReadOnlyList<string> Names { get; } = new[]
        {
            "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast",
            "austriaeast", "belgiumcentral", "brazilsouth", "brazilsoutheast",
            "canadacentral", "canadaeast", "centralindia", "centralus", "chilecentral", "denmarkeast",
            "eastasia", "eastus", "eastus2", "francecentral", "francesouth",
            "germanynorth", "germanywestcentral", "indonesiacentral", "israelcentral", "italynorth",
            "japaneast", "japanwest", "jioindiacentral", "jioindiawest", "koreacentral", "koreasouth",
            "malaysiawest", "malaysiasouth", "mexicocentral", "newzealandnorth", "northcentralus", "northeurope",
            "norwayeast", "norwaywest", "polandcentral", "qatarcentral",
            "southafricanorth", "southafricawest", "southcentralus", "southindia", "southeastasia",
            "spaincentral", "swedencentral", "swedensouth", "switzerlandnorth", "switzerlandwest",
            "uaecentral", "uaenorth", "uksouth", "ukwest", "westcentralus", "westeurope",
            "westindia", "westus", "westus2", "westus3",
            // Canary (EUAP) regions: real ARM locations for early-access subscriptions.
            "centraluseuap", "eastus2euap",
            // Sovereign clouds.
            "chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3",
            "usgovarizona", "usgovtexas", "usgovvirginia", "usdodcentral", "usdodeast",
        };
    }
}
