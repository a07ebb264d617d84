using Azure.Core;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Carries retry, transport and diagnostics settings into HttpPipelineBuilder.</summary>
    internal sealed class ArmPipelineOptions : ClientOptions
    {
    }
}
