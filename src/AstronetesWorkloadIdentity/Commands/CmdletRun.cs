namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// One cmdlet invocation, running until PowerShell disposes the commands of its pipeline (after every command of the
    /// pipeline has finished, buffering ones included). An object that carries a running CmdletRun was made by the pipeline
    /// that is consuming it; one from a variable of an earlier command line carries an ended one.
    /// </summary>
    internal sealed class CmdletRun
    {
        private volatile bool _running = true;

        public bool IsRunning => _running;

        public void End() => _running = false;
    }
}
