namespace AstronetesWorkloadIdentity.Engine { internal static class Placeholder { } }
