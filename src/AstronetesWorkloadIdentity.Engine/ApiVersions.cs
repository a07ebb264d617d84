namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>The api-version of every ARM call; the one place to change when a cloud lags behind.</summary>
    public static class ApiVersions
    {
        public const string ContainerService = "2025-10-01";
        public const string ManagedIdentity = "2024-11-30";
        public const string Authorization = "2022-04-01";
        public const string ResourceGroups = "2021-04-01";
        public const string Subscriptions = "2022-12-01";
    }
}
