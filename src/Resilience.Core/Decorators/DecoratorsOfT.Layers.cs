using System.Diagnostics;

namespace Resilience;

public sealed partial class Decorators<TResult>
{
    private TResult InvokeMore<TState>(int depth, SyncFrame<TState> next) => _layers[depth] switch
    {
        DecoratorKind.Retry => _retry!.Execute(static f => f.Owner.Invoke(f), next),
        DecoratorKind.RateLimiter => _rateLimiter!.Execute(static f => f.Owner.Invoke(f), next),
        DecoratorKind.Bulkhead => _bulkhead!.Execute(static f => f.Owner.Invoke(f), next),
        _ => throw new UnreachableException($"No synchronous layer for {_layers[depth]}."),
    };

    private ValueTask<TResult> InvokeMoreAsync<TState>(int depth, AsyncFrame<TState> next, CancellationToken cancellationToken) => _layers[depth] switch
    {
        DecoratorKind.Retry => _retry!.ExecuteAsync(static (f, ct) => f.Owner.InvokeAsync(f, ct), next, cancellationToken),
        DecoratorKind.RateLimiter => _rateLimiter!.ExecuteAsync(static (f, ct) => f.Owner.InvokeAsync(f, ct), next, cancellationToken),
        DecoratorKind.TimeLimiter => _timeLimiter!.ExecuteAsync(static (f, ct) => f.Owner.InvokeAsync(f, ct), next, cancellationToken),
        DecoratorKind.Bulkhead => _bulkhead!.ExecuteAsync(static (f, ct) => f.Owner.InvokeAsync(f, ct), next, cancellationToken),
        DecoratorKind.ThreadPoolBulkhead => new ValueTask<TResult>(_threadPoolBulkhead!.Submit(static (f, ct) => RunToEnd(f.Func(f.State, ct)), next, cancellationToken)),
        _ => throw new UnreachableException($"No asynchronous layer for {_layers[depth]}."),
    };

    /// <summary>Waits on a worker thread of the thread-pool bulkhead for the call it runs.</summary>
    private static TResult RunToEnd(ValueTask<TResult> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
