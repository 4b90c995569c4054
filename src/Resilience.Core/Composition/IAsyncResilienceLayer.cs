namespace Resilience;

/// <summary>
/// A primitive or a composition that runs asynchronous calls: the seam every front-end composes through.
/// </summary>
/// <remarks>
/// <para>Every primitive implements this interface with its own asynchronous execution, so a composition, an HTTP
/// handler or generated code can stack any layer without knowing its kind. A layer of your own plugs in the same way.</para>
/// <para>An implementation runs the func at most once per attempt it permits, passes it a token
/// that is cancelled when the caller's token is (and, for a time limiter, on timeout), reports every failure through
/// the returned task rather than by throwing, and returns a cancelled task without taking a permit or recording
/// anything when the caller's token is already cancelled.</para>
/// </remarks>
public interface IAsyncResilienceLayer
{
    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> under this layer. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="func">The call to protect; it receives the token it must observe.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the call; rejections and failures are reported through the task.</returns>
    ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default);
}
