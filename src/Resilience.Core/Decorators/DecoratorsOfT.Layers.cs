using System.Diagnostics;

namespace Resilience;

public sealed partial class Decorators<TResult>
{
    private TResult InvokeMore<TState>(int depth, SyncFrame<TState> next) =>
        throw new UnreachableException($"No synchronous layer for {_layers[depth]}.");

    private ValueTask<TResult> InvokeMoreAsync<TState>(int depth, AsyncFrame<TState> next, CancellationToken cancellationToken) =>
        throw new UnreachableException($"No asynchronous layer for {_layers[depth]}.");
}
