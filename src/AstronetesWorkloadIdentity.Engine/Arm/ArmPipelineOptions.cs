using Azure.Core;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Carries retry, transport and diagnostics settings into HttpPipelineBuilder.</summary>
    internal sealed class ArmPipelineOptions : ClientOptions
    {
        public ArmPipelineOptions()
        {
            // Azure.Core caps ApplicationId at 24 characters by default; "AstronetesWorkloadIdentity/0.1.0" is longer.
            MaxApplicationIdLength = 128;
        }
    }
}
