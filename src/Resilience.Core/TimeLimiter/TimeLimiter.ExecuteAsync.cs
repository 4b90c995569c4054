using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

public sealed partial class TimeLimiter
{
    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> and a time limit. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The operation; it receives a token cancelled on timeout and when <paramref name="cancellationToken"/> is cancelled.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token. Its cancellation ends the call with an <see cref="OperationCanceledException"/>, not a timeout.</param>
    /// <returns>The result of <paramref name="func"/>, or a task faulted with <see cref="TimeLimiterTimeoutException"/> if the timeout expired first.</returns>
    /// <remarks>
    /// A caller token that is already cancelled gives a cancelled task without invoking <paramref name="func"/>. When
    /// <paramref name="func"/> completes synchronously and succeeds, this allocates nothing.
    /// </remarks>
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return RunAsync<DelegateOperation<TState, TResult>, TState, TResult>(new(func), state, cancellationToken);
    }

    /// <summary>The asynchronous core: every asynchronous call through this limiter, direct or composed, runs here.</summary>
    /// <remarks>Never inlined, so that its result reaches the caller in registers (see <see cref="GuardedCall"/>).</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal ValueTask<TResult> RunAsync<TOperation, TState, TResult>(TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        TimeLimiterScope scope = BeginScope(cancellationToken);
        ValueTask<TResult> pending;
        try
        {
            pending = operation.InvokeAsync(state, scope.Token);
        }
#pragma warning disable CA1031 // The exception is classified and handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return TimeLimiterScope.FromFailure<TResult>(scope.RecordFailure(ex), cancellationToken);
        }

        return scope.WaitAsync(pending);
    }
}
