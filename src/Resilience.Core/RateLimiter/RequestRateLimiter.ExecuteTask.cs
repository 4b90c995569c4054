namespace Resilience;

public sealed partial class RequestRateLimiter
{
    /// <summary>Acquires one permit, waiting asynchronously up to <see cref="TimeoutDuration"/>, then runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/>.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to limit; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a reservation (its permits are given back) and is passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="RequestNotPermittedException"/> at once if no permit can be had within the timeout.</returns>
    public Task<TResult> ExecuteAsync<TResult>(Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Acquires one permit, waiting asynchronously up to <see cref="TimeoutDuration"/>, then runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> with <paramref name="state"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to limit.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a reservation (its permits are given back) and is passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="RequestNotPermittedException"/> at once if no permit can be had within the timeout.</returns>
    public Task<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (s, ct) => new ValueTask<TResult>(s.func(s.state, ct)), (func, state), cancellationToken).AsTask();
    }

    /// <summary>Acquires one permit, waiting asynchronously up to <see cref="TimeoutDuration"/>, then runs a <see cref="Task"/>-returning <paramref name="func"/>.</summary>
    /// <param name="func">The call to limit; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a reservation (its permits are given back) and is passed to <paramref name="func"/>.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="RequestNotPermittedException"/> at once if no permit can be had within the timeout.</returns>
    public Task ExecuteAsync(Func<CancellationToken, Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Acquires one permit, waiting asynchronously up to <see cref="TimeoutDuration"/>, then runs a <see cref="Task"/>-returning <paramref name="func"/> with <paramref name="state"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to limit.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a reservation (its permits are given back) and is passed to <paramref name="func"/>.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="RequestNotPermittedException"/> at once if no permit can be had within the timeout.</returns>
    public Task ExecuteAsync<TState>(Func<TState, CancellationToken, Task> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (s, ct) => new ValueTask(s.func(s.state, ct)), (func, state), cancellationToken).AsTask();
    }
}
