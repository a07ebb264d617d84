using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Jobs
{
    /// <summary>
    /// A PowerShell job (Get-Job, Receive-Job, Wait-Job, Stop-Job) that runs engine work on the thread pool of this
    /// process. A Job subclass registered in the session's JobRepository is how a binary module offers -AsJob without
    /// a second runspace: PowerShellStandard has neither Start-ThreadJob nor the PSRemotingJob helpers. The work writes
    /// straight into the job's streams, which are thread-safe collections; the user's session reads them.
    /// </summary>
    internal sealed class EngineJob : Job
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private string _statusMessage = string.Empty;

        public EngineJob(string command, string name, string jobTypeName)
            : base(command, name)
        {
            PSJobTypeName = jobTypeName;
        }

        public override string Location => "localhost";

        public override bool HasMoreData =>
            Output.Count > 0 || Error.Count > 0 || Progress.Count > 0 || Verbose.Count > 0 || Warning.Count > 0 || Debug.Count > 0 || Information.Count > 0;

        public override string StatusMessage => _statusMessage;

        /// <summary>Runs <paramref name="work"/>; its exception decides the final state (Failed, or Stopped when stopped).</summary>
        public void Start(Func<CancellationToken, Task> work, Func<Exception, ErrorRecord> toErrorRecord)
        {
            SetJobState(JobState.Running);
            Task.Run(async () =>
            {
                try
                {
                    await work(_stopping.Token).ConfigureAwait(false);
                    Finish(JobState.Completed);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    Finish(JobState.Stopped);
                }
                catch (Exception e)
                {
                    ErrorRecord record = toErrorRecord(e);
                    Error.Add(record);
                    Finish(JobState.Failed);
                }
            });
        }

        public override void StopJob()
        {
            if (IsFinishedState(JobStateInfo.State))
            {
                return;
            }

            SetJobState(JobState.Stopping);
            _stopping.Cancel();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _stopping.Cancel();
                _stopping.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Finish(JobState state)
        {
            _statusMessage = state.ToString();
            SetJobState(state);
        }

        private static bool IsFinishedState(JobState state)
            => state == JobState.Completed || state == JobState.Failed || state == JobState.Stopped;
    }
}
