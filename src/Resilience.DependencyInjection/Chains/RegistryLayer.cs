namespace Resilience.DependencyInjection;

/// <summary>
/// A layer that runs through whichever instance its registry holds under one name now: a reload that replaces the
/// instance reaches chains resolved before it.
/// </summary>
/// <remarks>
/// <para>Invariant: the current instance is the one the registry last published under the name; it is only ever
/// replaced whole, by a volatile write, so a call runs through one instance from start to end.</para>
/// <para>A forwarding layer: a chain of these over built-in primitives is fused by Core like the primitives themselves.</para>
/// </remarks>
internal class AsyncRegistryLayer<TInstance> : IForwardingLayer<TInstance>, IDisposable
    where TInstance : class, IAsyncResilienceLayer
{
    private readonly string _name;
    private readonly Action<RegistryEntryEvent<TInstance>> _onReplaced;
    private readonly Action<Action<RegistryEntryEvent<TInstance>>> _unsubscribe;
    private TInstance _current;

    public AsyncRegistryLayer(string name, TInstance current, Action<Action<RegistryEntryEvent<TInstance>>> subscribe, Action<Action<RegistryEntryEvent<TInstance>>> unsubscribe)
    {
        _name = name;
        _current = current;
        _unsubscribe = unsubscribe;
        _onReplaced = OnReplaced;
        subscribe(_onReplaced);
    }

    /// <summary>Gets the instance calls run through now.</summary>
    public TInstance Target => Volatile.Read(ref _current);

    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _current).ExecuteAsync(func, state, cancellationToken);

    public void Dispose() => _unsubscribe(_onReplaced);

    private void OnReplaced(RegistryEntryEvent<TInstance> entry)
    {
        if (entry.EventType == RegistryEntryEventType.Replaced && string.Equals(entry.Name, _name, StringComparison.OrdinalIgnoreCase))
        {
            Volatile.Write(ref _current, entry.Instance);
        }
    }
}

/// <summary>A <see cref="AsyncRegistryLayer{TInstance}"/> over a primitive that also runs synchronous calls.</summary>
internal sealed class RegistryLayer<TInstance>(string name, TInstance current, Action<Action<RegistryEntryEvent<TInstance>>> subscribe, Action<Action<RegistryEntryEvent<TInstance>>> unsubscribe)
    : AsyncRegistryLayer<TInstance>(name, current, subscribe, unsubscribe), IResilienceLayer
    where TInstance : class, IResilienceLayer
{
    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state) => Target.Execute(func, state);
}
