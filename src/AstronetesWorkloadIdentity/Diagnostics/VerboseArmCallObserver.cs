using System;
using System.Globalization;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Diagnostics
{
    /// <summary>Turns each ARM call into one verbose line. The record holds no header or body, so no token or secret can reach it.</summary>
    internal sealed class VerboseArmCallObserver : IArmCallObserver
    {
        private readonly Action<string> _writeLine;

        /// <param name="writeLine">Called on any thread; must hand the line to the pipeline thread.</param>
        public VerboseArmCallObserver(Action<string> writeLine)
        {
            _writeLine = writeLine;
        }

        public void OnCall(ArmCallRecord record) => _writeLine(Format(record));

        internal static string Format(ArmCallRecord record)
        {
            string status = record.Status == 0 ? "no response" : record.Status.ToString(CultureInfo.InvariantCulture);
            string line = string.Format(
                CultureInfo.InvariantCulture,
                "ARM {0} {1} -> {2}{3} in {4:0} ms, request ID {5}",
                record.Method,
                record.Path,
                status,
                record.ErrorCode == null ? "" : " " + record.ErrorCode,
                record.Duration.TotalMilliseconds,
                record.RequestId ?? "(none)");
            return record.Attempt > 1 ? line + string.Format(CultureInfo.InvariantCulture, " (attempt {0})", record.Attempt) : line;
        }
    }
}
