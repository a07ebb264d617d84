using System.Management.Automation;

namespace AstronetesWorkloadIdentity.Loading
{
    /// <summary>
    /// Hooks dependency resolution when the module is imported and unhooks it when it is removed,
    /// so the engine and its Azure.Core, MSAL and System.ClientModel copies never meet the versions
    /// another module (Az.Accounts, PSResourceGet) has already loaded.
    /// </summary>
    public sealed class ModuleAssemblyLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <inheritdoc />
        public void OnImport() => DependencyResolver.Hook();

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unhook();
    }
}
