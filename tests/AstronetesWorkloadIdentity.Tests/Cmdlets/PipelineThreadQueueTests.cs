using AstronetesWorkloadIdentity.Threading;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

public sealed class PipelineThreadQueueTests
{
    [Fact]
    public void Posted_actions_and_invocations_run_on_the_calling_thread()
    {
        var queue = new PipelineThreadQueue();
        int pipelineThread = Environment.CurrentManagedThreadId;
        var seenOn = new List<int>();

        int result = queue.Run(async ct =>
        {
            await Task.Yield();
            queue.Post(() => seenOn.Add(Environment.CurrentManagedThreadId));
            bool approved = queue.Invoke(() => { seenOn.Add(Environment.CurrentManagedThreadId); return true; });
            await Task.Delay(10, ct);
            return approved ? 42 : 0;
        }, CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(new[] { pipelineThread, pipelineThread }, seenOn);
    }

    [Fact]
    public void A_failure_on_the_pipeline_thread_cancels_the_work_and_is_rethrown()
    {
        var queue = new PipelineThreadQueue();
        var failure = new InvalidOperationException("stopped");

        var thrown = Assert.Throws<InvalidOperationException>(() => queue.Run<int>(async ct =>
        {
            queue.Post(() => throw failure);
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }, CancellationToken.None));

        Assert.Same(failure, thrown);
    }

    [Fact]
    public void Cancellation_reaches_the_work()
    {
        var queue = new PipelineThreadQueue();
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => queue.Run<int>(async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }, stop.Token));
    }
}
