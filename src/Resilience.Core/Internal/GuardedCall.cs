using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>Runs an operation so that a synchronous throw comes back through the task.</summary>
/// <remarks>
/// <para>Every primitive's asynchronous path hands a synchronous throw back through the task, as an async method would.
/// The exception handler that does it lives here, out of line, rather than in each primitive's <c>ExecuteAsync</c>.</para>
/// <para>Why: a method with a handler keeps its <see cref="ValueTask{TResult}"/> values in stack slots, writes them a
/// field at a time and reads them back a register at a time, and on x64 the processor cannot forward such a read from
/// the pending writes. Each such read stalls for several nanoseconds, once per layer per call. Without a handler, a
/// primitive's result travels in registers. Here, a result completed at once is rebuilt from
/// <see cref="ValueTask{TResult}.Result"/> rather than copied, for the same reason.</para>
/// <para>For the same reason each primitive's asynchronous core is never inlined: inlined into a caller, its result
/// would be written to one of the caller's stack slots a field at a time and copied from there as a block.</para>
/// </remarks>
internal static class GuardedCall
{
    /// <summary>Runs <paramref name="operation"/>; a synchronous exception gives a faulted task.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ValueTask<TResult> InvokeAsync<TOperation, TState, TResult>(TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult>
    {
        try
        {
            ValueTask<TResult> pending = operation.InvokeAsync(state, cancellationToken);
            return pending.IsCompletedSuccessfully ? new ValueTask<TResult>(pending.Result) : pending;
        }
#pragma warning disable CA1031 // The exception is handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<TResult>(ex);
        }
    }
}
