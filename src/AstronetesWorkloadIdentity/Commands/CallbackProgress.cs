using System;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>
    /// IProgress that calls back on the reporting thread, in order. System.Progress posts to the thread pool when there
    /// is no synchronization context (the pipeline thread has none), which can reorder reports.
    /// </summary>
    internal sealed class CallbackProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;

        public CallbackProgress(Action<T> report) => _report = report;

        public void Report(T value) => _report(value);
    }
}
