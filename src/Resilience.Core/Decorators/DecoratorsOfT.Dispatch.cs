namespace Resilience;

public sealed partial class Decorators<TResult>
{
    /// <summary>Runs the layer at <paramref name="frame"/>'s depth, which hands the next depth to its primitive.</summary>
    private TResult Invoke<TState>(SyncFrame<TState> frame)
    {
        if (frame.Depth == _layers.Length)
        {
            return frame.Func(frame.State);
        }

        SyncFrame<TState> next = frame with { Depth = frame.Depth + 1 };
        switch (_layers[frame.Depth])
        {
            case DecoratorKind.CircuitBreaker:
                return _circuitBreaker!.Execute(static f => f.Owner.Invoke(f), next);
            case DecoratorKind.Fallback:
                try
                {
                    return Invoke(next);
                }
                catch (Exception ex) when (_fallback!.Find(ex, CancellationToken.None) is { } handler)
                {
                    return handler.Handle(ex);
                }

            default:
                return InvokeMore(frame.Depth, next);
        }
    }

    private ValueTask<TResult> InvokeAsync<TState>(AsyncFrame<TState> frame, CancellationToken cancellationToken)
    {
        if (frame.Depth == _layers.Length)
        {
            return frame.Func(frame.State, cancellationToken);
        }

        AsyncFrame<TState> next = frame with { Depth = frame.Depth + 1 };
        return _layers[frame.Depth] switch
        {
            DecoratorKind.CircuitBreaker => _circuitBreaker!.ExecuteAsync(static (f, ct) => f.Owner.InvokeAsync(f, ct), next, cancellationToken),
            DecoratorKind.Fallback => InvokeWithFallbackAsync(next, cancellationToken),
            _ => InvokeMoreAsync(frame.Depth, next, cancellationToken),
        };
    }

    private ValueTask<TResult> InvokeWithFallbackAsync<TState>(AsyncFrame<TState> next, CancellationToken cancellationToken)
    {
        ValueTask<TResult> pending;
        try
        {
            pending = InvokeAsync(next, cancellationToken);
        }
        catch (Exception ex) when (_fallback!.Find(ex, cancellationToken) is { } handler)
        {
            return handler.HandleAsync(ex, cancellationToken);
        }

        return pending.IsCompletedSuccessfully ? pending : AwaitWithFallbackAsync(pending, cancellationToken);
    }

    private async ValueTask<TResult> AwaitWithFallbackAsync(ValueTask<TResult> pending, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (_fallback!.Find(ex, cancellationToken) is { } handler)
        {
            return await handler.HandleAsync(ex, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A call on its way down the synchronous layers: which layer is next, and the user's function and state.</summary>
    private readonly record struct SyncFrame<TState>(Decorators<TResult> Owner, int Depth, Func<TState, TResult> Func, TState State);

    /// <summary>A call on its way down the asynchronous layers.</summary>
    private readonly record struct AsyncFrame<TState>(Decorators<TResult> Owner, int Depth, Func<TState, CancellationToken, ValueTask<TResult>> Func, TState State);
}
