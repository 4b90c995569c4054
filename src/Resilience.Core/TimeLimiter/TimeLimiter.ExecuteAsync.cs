using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

public sealed partial class TimeLimiter
{
    /// <summary>Runs <paramref name="func"/> with a time limit.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The operation; it receives a token cancelled on timeout and when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="cancellationToken">The caller's token. Its cancellation ends the call with an <see cref="OperationCanceledException"/>, not a timeout.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="TimeLimiterTimeoutException"/> if the timeout expired first.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> and a time limit. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The operation; it receives a token cancelled on timeout and when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. Its cancellation ends the call with an <see cref="OperationCanceledException"/>, not a timeout.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="TimeLimiterTimeoutException"/> if the timeout expired first.</returns>
    /// <remarks>When <paramref name="func"/> completes synchronously and succeeds, this allocates nothing.</remarks>
    [OverloadResolutionPriority(1)]
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        TimeLimiterScope scope = StartScope(cancellationToken);
        ValueTask<TResult> pending;
        try
        {
            pending = func(state, scope.Token);
        }
#pragma warning disable CA1031 // The exception is classified and handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return FromException<TResult>(EndFaulted(scope, ex, cancellationToken), cancellationToken);
        }

        if (!pending.IsCompleted)
        {
            scope.Arm();
            return TimeLimiterRace<TResult>.Run(this, scope, pending, cancellationToken);
        }

        TResult result;
        try
        {
            result = pending.GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // As above.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return FromException<TResult>(EndFaulted(scope, ex, cancellationToken), cancellationToken);
        }

        scope.Release();
        OnSucceeded();
        return new ValueTask<TResult>(result);
    }

    /// <summary>Runs <paramref name="func"/> with a time limit.</summary>
    /// <param name="func">The operation; it receives a token cancelled on timeout and when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="cancellationToken">The caller's token. Its cancellation ends the call with an <see cref="OperationCanceledException"/>, not a timeout.</param>
    /// <returns>A task that completes with the operation, or is faulted with <see cref="TimeLimiterTimeoutException"/> if the timeout expired first.</returns>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> and a time limit. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The operation; it receives a token cancelled on timeout and when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. Its cancellation ends the call with an <see cref="OperationCanceledException"/>, not a timeout.</param>
    /// <returns>A task that completes with the operation, or is faulted with <see cref="TimeLimiterTimeoutException"/> if the timeout expired first.</returns>
    /// <remarks>When <paramref name="func"/> completes synchronously and succeeds, this allocates nothing.</remarks>
    [OverloadResolutionPriority(1)]
    public ValueTask ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        TimeLimiterScope scope = StartScope(cancellationToken);
        ValueTask pending;
        try
        {
            pending = func(state, scope.Token);
        }
#pragma warning disable CA1031 // The exception is classified and handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return FromException(EndFaulted(scope, ex, cancellationToken), cancellationToken);
        }

        if (!pending.IsCompleted)
        {
            scope.Arm();
            return TimeLimiterRace<VoidResult>.RunVoid(this, scope, pending, cancellationToken);
        }

        try
        {
            pending.GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // As above.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return FromException(EndFaulted(scope, ex, cancellationToken), cancellationToken);
        }

        scope.Release();
        OnSucceeded();
        return default;
    }

    /// <summary>A caller's cancellation becomes a cancelled task, as an async method would make it; anything else a faulted one.</summary>
    private static ValueTask<TResult> FromException<TResult>(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<TResult>(cancellationToken)
            : ValueTask.FromException<TResult>(exception);

    private static ValueTask FromException(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled(cancellationToken)
            : ValueTask.FromException(exception);
}
