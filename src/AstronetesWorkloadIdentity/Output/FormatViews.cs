using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace AstronetesWorkloadIdentity.Output
{
    /// <summary>
    /// Loads the module's format views into a runspace on the first command that may need them, not at import.
    /// Any FormatsToProcess makes Import-Module rebuild PowerShell's whole format database (measured: a one-view file
    /// costs as much as ours, about 70 ms), which a script that never formats output should not pay for.
    /// </summary>
    internal static class FormatViews
    {
        private const string FileName = "AstronetesWorkloadIdentity.Format.ps1xml";
        private static readonly ConditionalWeakTable<Runspace, object> Loaded = new ConditionalWeakTable<Runspace, object>();
        private static readonly object Marker = new object();

        /// <summary>True when this runspace still needs the views (call on the pipeline thread).</summary>
        public static bool Pending(Runspace? runspace) => runspace != null && !Loaded.TryGetValue(runspace, out _);

        /// <summary>Loads them once per runspace; must run on the pipeline thread of <paramref name="cmdlet"/>.</summary>
        public static void EnsureLoaded(PSCmdlet cmdlet, Runspace? runspace)
        {
            if (runspace == null) return;
            lock (Loaded)
            {
                if (Loaded.TryGetValue(runspace, out _)) return;
                Loaded.Add(runspace, Marker);
            }

            string? folder = Path.GetDirectoryName(typeof(FormatViews).Assembly.Location);
            string path = Path.Combine(folder ?? ".", FileName);
            // Hosts that load the assembly without the module folder (unit tests) bring their own views.
            if (!File.Exists(path)) return;
            cmdlet.InvokeCommand.InvokeScript(false, ScriptBlock.Create("param($path) Update-FormatData -AppendPath $path"), null, path);
        }
    }
}
