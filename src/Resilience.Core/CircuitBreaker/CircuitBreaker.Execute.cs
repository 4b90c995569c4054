using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

public sealed partial class CircuitBreaker
{
    /// <summary>Runs <paramref name="func"/> if the breaker permits it, and records its outcome.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <returns>The result of <paramref name="func"/>.</returns>
    /// <exception cref="CallNotPermittedException">The breaker refused the call; <paramref name="func"/> did not run.</exception>
    public TResult Execute<TResult>(Func<TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Execute(static f => f(), func);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> if the breaker permits it, and records its outcome. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <returns>The result of <paramref name="func"/>.</returns>
    /// <exception cref="CallNotPermittedException">The breaker refused the call; <paramref name="func"/> did not run.</exception>
    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        AcquirePermission();
        long start = Now();
        TResult result;
        try
        {
            result = func(state);
        }
        catch (Exception ex)
        {
            OnFailed(start, ex, CancellationToken.None);
            throw;
        }

        long end = Now();
        RecordResult(Elapsed(start, end), result, end);
        return result;
    }

    /// <summary>Runs <paramref name="action"/> if the breaker permits it, and records its outcome.</summary>
    /// <param name="action">The call to protect.</param>
    /// <exception cref="CallNotPermittedException">The breaker refused the call; <paramref name="action"/> did not run.</exception>
    public void Execute(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Execute(static a => { a(); return default(VoidResult); }, action);
    }

    /// <summary>Runs <paramref name="action"/> with <paramref name="state"/> if the breaker permits it, and records its outcome.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="action">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="action"/>.</param>
    /// <exception cref="CallNotPermittedException">The breaker refused the call; <paramref name="action"/> did not run.</exception>
    public void Execute<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        Execute(static s => { s.action(s.state); return default(VoidResult); }, (action, state));
    }

    /// <summary>Runs <paramref name="func"/> if the breaker permits it, and records its outcome when it completes.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token. A cancellation it caused is not recorded; the permit is released.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="CallNotPermittedException"/> if the call was refused.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> if the breaker permits it, and records its outcome when it completes. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. A cancellation it caused is not recorded; the permit is released.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="CallNotPermittedException"/> if the call was refused.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (!TryAcquire(out CallNotPermittedException? rejection))
        {
            return ValueTask.FromException<TResult>(rejection);
        }

        long start = Now();
        ValueTask<TResult> pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is recorded and handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnFailed(start, ex, cancellationToken);
            return ValueTask.FromException<TResult>(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            TResult result = pending.Result;
            long end = Now();
            RecordResult(Elapsed(start, end), result, end);
            return new ValueTask<TResult>(result);
        }

        return AwaitAsync(pending, start, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> if the breaker permits it, and records its outcome when it completes.</summary>
    /// <param name="func">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token. A cancellation it caused is not recorded; the permit is released.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="CallNotPermittedException"/> if the call was refused.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> if the breaker permits it, and records its outcome when it completes.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. A cancellation it caused is not recorded; the permit is released.</param>
    /// <returns>A task that completes with the call, or is faulted with <see cref="CallNotPermittedException"/> if the call was refused.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (!TryAcquire(out CallNotPermittedException? rejection))
        {
            return ValueTask.FromException(rejection);
        }

        long start = Now();
        ValueTask pending;
        try
        {
            pending = func(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is recorded and handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnFailed(start, ex, cancellationToken);
            return ValueTask.FromException(ex);
        }

        if (pending.IsCompletedSuccessfully)
        {
            long end = Now();
            RecordSuccess(Elapsed(start, end), end);
            return default;
        }

        return AwaitAsync(pending, start, cancellationToken);
    }

    private bool TryAcquire([NotNullWhen(false)] out CallNotPermittedException? rejection)
    {
        CircuitStateObject state = Volatile.Read(ref _state);
        if (IsAlwaysPermitted(state.Kind) || TryAcquireSlow(ref state))
        {
            rejection = null;
            return true;
        }

        rejection = CreateNotPermittedException(state);
        return false;
    }

    private void OnFailed(long start, Exception exception, CancellationToken cancellationToken)
    {
        long end = Now();
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            ReleasePermission();
            return;
        }

        RecordError(Elapsed(start, end), exception, end);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> AwaitAsync<TResult>(ValueTask<TResult> pending, long start, CancellationToken cancellationToken)
    {
        TResult result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            OnFailed(start, ex, cancellationToken);
            throw;
        }

        long end = Now();
        RecordResult(Elapsed(start, end), result, end);
        return result;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitAsync(ValueTask pending, long start, CancellationToken cancellationToken)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            OnFailed(start, ex, cancellationToken);
            throw;
        }

        long end = Now();
        RecordSuccess(Elapsed(start, end), end);
    }
}
