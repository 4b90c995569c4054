namespace Resilience;

public sealed partial class TimeLimiter
{
    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> with a time limit.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The operation; it receives a token cancelled on timeout and when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="cancellationToken">The caller's token. Its cancellation ends the call with an <see cref="OperationCanceledException"/>, not a timeout.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="TimeLimiterTimeoutException"/> if the timeout expired first.</returns>
    public Task<TResult> ExecuteAsync<TResult>(Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> with <paramref name="state"/> and a time limit.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The operation; it receives a token cancelled on timeout and when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. Its cancellation ends the call with an <see cref="OperationCanceledException"/>, not a timeout.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="TimeLimiterTimeoutException"/> if the timeout expired first.</returns>
    public Task<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (s, ct) => new ValueTask<TResult>(s.func(s.state, ct)), (func, state), cancellationToken).AsTask();
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/> with a time limit.</summary>
    /// <param name="func">The operation; it receives a token cancelled on timeout and when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="cancellationToken">The caller's token. Its cancellation ends the call with an <see cref="OperationCanceledException"/>, not a timeout.</param>
    /// <returns>A task that completes with the operation, or is faulted with <see cref="TimeLimiterTimeoutException"/> if the timeout expired first.</returns>
    public Task ExecuteAsync(Func<CancellationToken, Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/> with <paramref name="state"/> and a time limit.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The operation; it receives a token cancelled on timeout and when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. Its cancellation ends the call with an <see cref="OperationCanceledException"/>, not a timeout.</param>
    /// <returns>A task that completes with the operation, or is faulted with <see cref="TimeLimiterTimeoutException"/> if the timeout expired first.</returns>
    public Task ExecuteAsync<TState>(Func<TState, CancellationToken, Task> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (s, ct) => new ValueTask(s.func(s.state, ct)), (func, state), cancellationToken).AsTask();
    }
}
