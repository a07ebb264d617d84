namespace AstronetesWorkloadIdentity { internal static class Placeholder { } }
