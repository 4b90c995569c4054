namespace Resilience.Internal;

/// <summary>The fallbacks of one <see cref="Decorators{TResult}"/>, tried in the order they were added; the first that handles an exception wins.</summary>
/// <remarks>
/// An <see cref="OperationCanceledException"/> caused by the caller's own token is never handled: the caller asked to
/// stop, so it gets the cancellation, not a substitute result.
/// </remarks>
internal sealed class FallbackHandlers<TResult>(FallbackHandler<TResult>[] handlers)
{
    public int Count => handlers.Length;

    /// <summary>Finds the handler for <paramref name="exception"/>; null when none handles it.</summary>
    public FallbackHandler<TResult>? Find(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        foreach (FallbackHandler<TResult> handler in handlers)
        {
            if (handler.Predicate(exception))
            {
                return handler;
            }
        }

        return null;
    }
}

/// <summary>One fallback: which exceptions it handles and how, synchronously or asynchronously.</summary>
internal sealed class FallbackHandler<TResult>(
    Func<Exception, bool> predicate,
    Func<Exception, TResult>? handle,
    Func<Exception, CancellationToken, ValueTask<TResult>>? handleAsync)
{
    public Func<Exception, bool> Predicate { get; } = predicate;

    public TResult Handle(Exception exception)
    {
        if (handle is not null)
        {
            return handle(exception);
        }

        // An asynchronous fallback on the synchronous path: the caller chose to block.
        ValueTask<TResult> pending = handleAsync!(exception, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    public ValueTask<TResult> HandleAsync(Exception exception, CancellationToken cancellationToken) =>
        handleAsync is not null ? handleAsync(exception, cancellationToken) : new ValueTask<TResult>(handle!(exception));
}
