using System;
using System.Diagnostics;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Azure;

namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>
    /// A running cluster update as an Azure.Core <see cref="Operation{T}"/>, so Azure.Core's poller drives it
    /// (Operation.WaitForCompletionAsync with a DelayStrategy, which honours Retry-After). Polls the
    /// Azure-AsyncOperation URL to a terminal status, then reads the cluster once more for the result; without a
    /// status URL (a wait for someone else's operation) it polls the cluster's provisioningState instead.
    /// </summary>
    internal sealed class ClusterUpdateOperation : Operation<ClusterReadiness>
    {
        private readonly ArmRestClient _client;
        private readonly string _clusterId;
        private readonly Uri? _statusUrl;
        private readonly Func<CancellationToken, Task<ClusterReadiness>> _readCluster;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private Response _lastResponse;
        private ClusterReadiness? _value;
        private ArmException? _failure;

        public ClusterUpdateOperation(ArmRestClient client, string clusterId, Uri? statusUrl, Response initialResponse,
            Func<CancellationToken, Task<ClusterReadiness>> readCluster)
        {
            _client = client;
            _clusterId = clusterId;
            _statusUrl = statusUrl;
            _lastResponse = initialResponse;
            _readCluster = readCluster;
        }

        /// <summary>Set by the waiter; called on the polling thread.</summary>
        public Action<ClusterUpdateProgress>? Report { get; set; }

        public override string Id => _statusUrl?.AbsoluteUri ?? _clusterId;

        public override ClusterReadiness Value
        {
            get
            {
                if (_failure != null) throw _failure;
                return _value ?? throw new InvalidOperationException("The cluster update has not completed yet.");
            }
        }

        public override bool HasValue => _value != null;

        public override bool HasCompleted => _value != null || _failure != null;

        public override Response GetRawResponse() => _lastResponse;

        // The engine is async throughout; this exists only because Operation requires it.
        public override Response UpdateStatus(CancellationToken cancellationToken = default)
            => UpdateStatusAsync(cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<Response> UpdateStatusAsync(CancellationToken cancellationToken = default)
        {
            if (HasCompleted) return _lastResponse;
            if (_statusUrl == null)
            {
                var readiness = await _readCluster(cancellationToken).ConfigureAwait(false);
                var state = readiness.Cluster.ProvisioningState;
                Report?.Invoke(new ClusterUpdateProgress(ProvisioningStates.IsAtRest(state) ? ClusterUpdateStage.Completed : ClusterUpdateStage.Updating, _clusterId, state, _clock.Elapsed));
                if (ProvisioningStates.IsAtRest(state)) Finish(readiness, state);
                return _lastResponse;
            }

            var response = await _client.GetOperationStatusAsync(_statusUrl, _clusterId, cancellationToken).ConfigureAwait(false);
            _lastResponse = response;
            ReadStatus(response, out var status, out var errorCode, out var errorMessage);
            if (!ProvisioningStates.IsTerminal(status))
            {
                Report?.Invoke(new ClusterUpdateProgress(ClusterUpdateStage.Updating, _clusterId, status, _clock.Elapsed));
                return response;
            }
            if (ProvisioningStates.IsSucceeded(status))
            {
                var readiness = await _readCluster(cancellationToken).ConfigureAwait(false);
                Finish(readiness, status);
                return response;
            }
            _failure = new ArmException(response.Status, errorCode ?? "Operation" + status,
                "The cluster update ended '" + status + "'" + (errorMessage == null ? "." : ": " + errorMessage), ArmErrors.RequestIdOf(response), _clusterId)
            {
                OperationStatus = status,
            };
            Report?.Invoke(new ClusterUpdateProgress(ClusterUpdateStage.Completed, _clusterId, status, _clock.Elapsed));
            throw _failure;
        }

        private void Finish(ClusterReadiness readiness, string? status)
        {
            _value = readiness;
            Report?.Invoke(new ClusterUpdateProgress(ClusterUpdateStage.Completed, _clusterId, status ?? readiness.Cluster.ProvisioningState, _clock.Elapsed));
        }

        /// <summary>The status body: <c>{"name","status","startTime","endTime","error":{"code","message"}}</c>.</summary>
        private void ReadStatus(Response response, out string? status, out string? errorCode, out string? errorMessage)
        {
            errorCode = null;
            errorMessage = null;
            try
            {
                using var doc = JsonDocument.Parse(response.Content.ToMemory());
                status = ArmJson.String(doc.RootElement, "status");
                var error = ArmJson.Property(doc.RootElement, "error");
                if (error?.ValueKind == JsonValueKind.Object)
                {
                    errorCode = ArmJson.String(error.Value, "code");
                    errorMessage = ArmJson.String(error.Value, "message");
                }
            }
            catch (JsonException ex)
            {
                throw ArmErrors.InvalidBody(response, _clusterId, "ARM returned an operation status that is not valid JSON.", ex);
            }
            if (string.IsNullOrEmpty(status)) throw ArmErrors.InvalidBody(response, _clusterId, "ARM returned an operation status without a 'status'.");
        }
    }
}
