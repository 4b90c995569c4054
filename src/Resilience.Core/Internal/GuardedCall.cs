using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>Runs an operation so that a synchronous throw comes back through the task.</summary>
/// <remarks>
/// <para>Every primitive's asynchronous path hands a synchronous throw back through the task, as an async method would.
/// The exception handler that does it lives here, out of line, rather than in the retry's and the breaker's cores.</para>
/// <para>Why: a method with a handler keeps its <see cref="ValueTask{TResult}"/> values in stack slots. The JIT writes
/// such a slot a register or a field at a time and then copies it as one 16-byte block, and the processor cannot
/// forward that read from the narrower writes still in flight: it waits for them, several nanoseconds per layer per
/// call. Here the result is written once, through <c>out</c>, into the caller's own slot, which the caller reads field
/// by field; nothing copies it as a block. The task is handed on unchanged: a task-backed result keeps its task, so
/// converting it back with <see cref="ValueTask{TResult}.AsTask"/> allocates nothing.</para>
/// <para>For the same reason each primitive's asynchronous core is never inlined: inlined into a caller, its result
/// would be written to one of the caller's stack slots a field at a time and copied from there as a block.</para>
/// </remarks>
internal static class GuardedCall
{
    /// <summary>Runs <paramref name="operation"/> into <paramref name="pending"/>; a synchronous exception gives a faulted task.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Invoke<TOperation, TState, TResult>(TOperation operation, TState state, CancellationToken cancellationToken, out ValueTask<TResult> pending)
        where TOperation : struct, IAsyncOperation<TState, TResult>
    {
        try
        {
            pending = operation.InvokeAsync(state, cancellationToken);
        }
#pragma warning disable CA1031 // The exception is handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending = ValueTask.FromException<TResult>(ex);
        }
    }
}
