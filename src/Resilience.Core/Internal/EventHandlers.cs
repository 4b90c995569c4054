namespace Resilience.Internal;

/// <summary>A lock-free list of handlers: an immutable array replaced by compare-and-swap on add and remove.</summary>
/// <remarks>Invoking reads the array once and allocates nothing. A handler that throws is reported and skipped.</remarks>
internal sealed class EventHandlers<T>
{
    private Action<T>[] _handlers = [];

    public bool HasHandlers => Volatile.Read(ref _handlers).Length != 0;

    public void Add(Action<T>? handler)
    {
        if (handler is null)
        {
            return;
        }

        while (true)
        {
            Action<T>[] current = Volatile.Read(ref _handlers);
            Action<T>[] next = [.. current, handler];
            if (Interlocked.CompareExchange(ref _handlers, next, current) == current)
            {
                return;
            }
        }
    }

    public void Remove(Action<T>? handler)
    {
        while (true)
        {
            Action<T>[] current = Volatile.Read(ref _handlers);
            int index = Array.LastIndexOf(current, handler);
            if (handler is null || index < 0)
            {
                return;
            }

            Action<T>[] next = [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)];
            if (Interlocked.CompareExchange(ref _handlers, next, current) == current)
            {
                return;
            }
        }
    }

    public void Invoke(T args, string instanceName)
    {
        foreach (Action<T> handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(args);
            }
#pragma warning disable CA1031 // A subscriber must break neither the breaker nor the call.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ResilienceEventSource.Log.EventHandlerFailed(instanceName, args?.ToString() ?? typeof(T).Name, ex.ToString());
            }
        }
    }
}
