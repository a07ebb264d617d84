using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace AstronetesWorkloadIdentity.Threading
{
    /// <summary>
    /// Runs async engine work on the thread pool while the pipeline thread pumps the actions
    /// the work posts back (stream writes, ShouldProcess prompts). PowerShell only allows
    /// those on the pipeline thread, and blocking on <c>.Result</c> there would deadlock any
    /// callback that needs it.
    /// </summary>
    internal sealed class PipelineThreadQueue
    {
        // Read by worker threads while the pipeline thread sets them.
        private volatile BlockingCollection<Action>? _pending;
        private volatile int _pumpThreadId;

        /// <summary>Runs <paramref name="work"/> and pumps posted actions until it finishes. Call on the pipeline thread.</summary>
        public T Run<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        {
            if (_pending != null)
            {
                throw new InvalidOperationException("Engine calls do not nest.");
            }

            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var pending = new BlockingCollection<Action>())
            {
                _pending = pending;
                _pumpThreadId = Environment.CurrentManagedThreadId;
                Exception? pumpFailure = null;
                try
                {
                    Task<T> task = Task.Run(() => work(linked.Token), linked.Token);
                    task.ContinueWith(_ => pending.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

                    // Drain everything, even after a failure, so a worker waiting on an answer is never stranded.
                    foreach (Action action in pending.GetConsumingEnumerable())
                    {
                        try
                        {
                            action();
                        }
                        catch (Exception e) when (pumpFailure == null)
                        {
                            // Typically PipelineStoppedException from a write during Ctrl+C: stop the work, rethrow after.
                            pumpFailure = e;
                            linked.Cancel();
                        }
                        catch (Exception)
                        {
                            // Later failures repeat the first one.
                        }
                    }

                    if (pumpFailure != null)
                    {
                        throw pumpFailure;
                    }

                    return task.GetAwaiter().GetResult();
                }
                finally
                {
                    _pending = null;
                    _pumpThreadId = 0;
                }
            }
        }

        /// <summary>Queues a fire-and-forget action for the pipeline thread; dropped when no work is running.</summary>
        public void Post(Action action)
        {
            if (Environment.CurrentManagedThreadId == _pumpThreadId)
            {
                action();
                return;
            }

            BlockingCollection<Action>? pending = _pending;
            if (pending == null)
            {
                return;
            }

            try
            {
                pending.Add(action);
            }
            catch (InvalidOperationException)
            {
                // The work already completed (adding closed, or the queue disposed): nobody pumps any more.
            }
        }

        /// <summary>Runs <paramref name="function"/> on the pipeline thread and waits for its result (e.g. ShouldProcess).</summary>
        public TResult Invoke<TResult>(Func<TResult> function)
        {
            BlockingCollection<Action>? pending = _pending;
            if (pending == null || Environment.CurrentManagedThreadId == _pumpThreadId)
            {
                return function();
            }

            var answer = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                pending.Add(() =>
                {
                    try
                    {
                        answer.SetResult(function());
                    }
                    catch (Exception e)
                    {
                        answer.SetException(e);
                        throw;
                    }
                });
            }
            catch (InvalidOperationException)
            {
                throw new OperationCanceledException("The pipeline no longer accepts requests.");
            }

            return answer.Task.GetAwaiter().GetResult();
        }
    }
}
