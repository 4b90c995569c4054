using System.ComponentModel;

namespace Resilience.Attributes;

/// <summary>
/// Adapters between the shapes of the decorated methods and the chains' <see cref="ValueTask{TResult}"/>, for generated
/// code. A method that returns nothing runs through a chain as a <see cref="bool"/> result. No adapter allocates when
/// the call completes synchronously.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ResilientCalls
{
    /// <summary>Runs a <see cref="Task"/> as a chain's call.</summary>
    /// <param name="task">The task of the inner method.</param>
    /// <returns><see langword="true"/> when the task completes.</returns>
    public static ValueTask<bool> FromTask(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.IsCompletedSuccessfully ? new ValueTask<bool>(true) : Await(task);

        static async ValueTask<bool> Await(Task task)
        {
            await task.ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>Runs a <see cref="ValueTask"/> as a chain's call.</summary>
    /// <param name="task">The task of the inner method.</param>
    /// <returns><see langword="true"/> when the task completes.</returns>
    public static ValueTask<bool> FromValueTask(ValueTask task)
    {
        return task.IsCompletedSuccessfully ? new ValueTask<bool>(true) : Await(task);

        static async ValueTask<bool> Await(ValueTask task)
        {
            await task.ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>Runs a <see cref="Task{TResult}"/> as a chain's call.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="task">The task of the inner method.</param>
    /// <returns>The task, as a value task.</returns>
    public static ValueTask<TResult> FromResultTask<TResult>(Task<TResult> task) => new(task);

    /// <summary>Returns a chain's call of a method that returns <see cref="Task"/>.</summary>
    /// <param name="call">The chain's call.</param>
    /// <returns>The task.</returns>
    public static Task ToTask(ValueTask<bool> call) => call.IsCompletedSuccessfully ? Task.CompletedTask : call.AsTask();

    /// <summary>Returns a chain's call of a method that returns <see cref="ValueTask"/>.</summary>
    /// <param name="call">The chain's call.</param>
    /// <returns>The value task.</returns>
    public static ValueTask ToValueTask(ValueTask<bool> call) => call.IsCompletedSuccessfully ? default : new ValueTask(call.AsTask());

    /// <summary>Returns a chain's call of a method that returns <see cref="Task{TResult}"/>.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="call">The chain's call.</param>
    /// <returns>The task.</returns>
    public static Task<TResult> ToResultTask<TResult>(ValueTask<TResult> call) => call.AsTask();

    /// <summary>
    /// Tells whether a fallback may handle an exception: not when it is the cancellation the token asked for, which
    /// belongs to the caller (or to an outer time limiter), never to a fallback.
    /// </summary>
    /// <param name="exception">The exception the call ended with.</param>
    /// <param name="cancellationToken">The token the layer ran with.</param>
    /// <returns><see langword="true"/> when the fallback may run.</returns>
    public static bool MayFallBack(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);
}
