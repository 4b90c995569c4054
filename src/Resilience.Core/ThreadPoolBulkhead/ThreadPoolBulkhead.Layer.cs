namespace Resilience;

public sealed partial class ThreadPoolBulkhead
{
    /// <summary>Runs <paramref name="func"/> on one of the bulkhead's threads, which waits for it if it returns an unfinished task.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">As for <see cref="Submit{TState, TResult}(Func{TState, CancellationToken, TResult}, TState, CancellationToken)"/>.</param>
    /// <returns>The result of the call; a full bulkhead is reported through the task as a <see cref="BulkheadFullException"/>.</returns>
    /// <remarks>The pool is meant for blocking work, which it keeps off the shared .NET thread pool: the worker thread stays with the call until it ends.</remarks>
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        try
        {
            return new ValueTask<TResult>(Submit(static (s, ct) => RunToEnd(s.func(s.state, ct)), (func, state), cancellationToken));
        }
        catch (Exception ex) when (ex is BulkheadFullException or ObjectDisposedException)
        {
            return ValueTask.FromException<TResult>(ex);
        }
    }

    private static TResult RunToEnd<TResult>(ValueTask<TResult> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
