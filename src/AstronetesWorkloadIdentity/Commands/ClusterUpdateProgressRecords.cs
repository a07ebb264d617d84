using System;
using System.Globalization;
using System.Management.Automation;
using AstronetesWorkloadIdentity.Engine;

namespace AstronetesWorkloadIdentity.Commands
{
    /// <summary>Progress records for a cluster update, the same for the foreground and for -AsJob.</summary>
    internal static class ClusterUpdateProgressRecords
    {
        // Fixed, so every update of one invocation moves the same bar and Completed removes it.
        private const int ActivityId = 0x4157;

        public static ProgressRecord For(string clusterName, ClusterUpdateProgress progress)
        {
            var record = new ProgressRecord(ActivityId, Activity(clusterName), Describe(progress));
            if (progress.Stage == ClusterUpdateStage.Completed) record.RecordType = ProgressRecordType.Completed;
            return record;
        }

        public static ProgressRecord Completed(string clusterName)
            => new ProgressRecord(ActivityId, Activity(clusterName), "Done") { RecordType = ProgressRecordType.Completed };

        private static string Activity(string clusterName) => "Enabling workload identity on cluster '" + clusterName + "'";

        private static string Describe(ClusterUpdateProgress progress)
        {
            string elapsed = progress.Elapsed.TotalMinutes >= 1
                ? ((int)progress.Elapsed.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " min " + progress.Elapsed.Seconds.ToString(CultureInfo.InvariantCulture) + " s"
                : progress.Elapsed.Seconds.ToString(CultureInfo.InvariantCulture) + " s";
            switch (progress.Stage)
            {
                case ClusterUpdateStage.Reading:
                    return "Reading the cluster";
                case ClusterUpdateStage.WaitingForOtherOperation:
                    return "Waiting for another operation on the cluster to finish (provisioning state " + (progress.Status ?? "unknown") + ", " + elapsed + ")";
                case ClusterUpdateStage.Updating:
                    return "Updating (" + (progress.Status ?? "InProgress") + ", " + elapsed + "); AKS updates take several minutes";
                default:
                    return "Finished: " + (progress.Status ?? "Succeeded");
            }
        }
    }
}
