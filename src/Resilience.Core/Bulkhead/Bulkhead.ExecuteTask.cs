namespace Resilience;

public sealed partial class Bulkhead
{
    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> once a permit is taken, waiting asynchronously up to the maximum wait for one, and gives the permit back when it completes.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    public Task<TResult> ExecuteAsync<TResult>(Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task{TResult}"/>-returning <paramref name="func"/> with <paramref name="state"/> once a permit is taken, waiting asynchronously up to the maximum wait for one.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>. If it is already cancelled, no permit is taken.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    public Task<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, Task<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (s, ct) => new ValueTask<TResult>(s.func(s.state, ct)), (func, state), cancellationToken).AsTask();
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/> once a permit is taken, waiting asynchronously up to the maximum wait for one, and gives the permit back when it completes.</summary>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    public Task ExecuteAsync(Func<CancellationToken, Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs a <see cref="Task"/>-returning <paramref name="func"/> with <paramref name="state"/> once a permit is taken, waiting asynchronously up to the maximum wait for one.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for a permit, and is passed to <paramref name="func"/>. If it is already cancelled, no permit is taken.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="BulkheadFullException"/> if no permit was free within the maximum wait.</returns>
    public Task ExecuteAsync<TState>(Func<TState, CancellationToken, Task> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (s, ct) => new ValueTask(s.func(s.state, ct)), (func, state), cancellationToken).AsTask();
    }
}
