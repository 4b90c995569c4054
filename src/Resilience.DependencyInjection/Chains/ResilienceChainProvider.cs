using System.Collections.Concurrent;

namespace Resilience.DependencyInjection;

/// <summary>Builds each named chain once from the registries, in Resilience4j's order, and caches it.</summary>
internal sealed class ResilienceChainProvider(ResilienceRegistries registries) : IResilienceChainProvider, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<AsyncResilienceChain>> _chains = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentBag<IDisposable> _layers = [];

    public AsyncResilienceChain GetChain(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _chains.GetOrAdd(name, n => new Lazy<AsyncResilienceChain>(() => Build(n))).Value;
    }

    public AsyncResilienceChain GetChain(params ReadOnlySpan<ResilienceLayerName> outermostFirst)
    {
        if (outermostFirst.IsEmpty)
        {
            throw new ArgumentException("A chain needs at least one layer.", nameof(outermostFirst));
        }

        var key = new System.Text.StringBuilder("\0");
        foreach (ResilienceLayerName layer in outermostFirst)
        {
            if (layer.Primitive is null)
            {
                throw new ArgumentException("A layer is the default value: give each layer its primitive and name.", nameof(outermostFirst));
            }

            key.Append(layer.Primitive).Append(':').Append(layer.Name).Append(':').Append(layer.Configuration).Append(':').Append(layer.Permits).Append('|');
        }

        string cacheKey = key.ToString();
        if (_chains.TryGetValue(cacheKey, out Lazy<AsyncResilienceChain>? cached))
        {
            return cached.Value;
        }

        ResilienceLayerName[] layers = outermostFirst.ToArray();
        return _chains.GetOrAdd(cacheKey, _ => new Lazy<AsyncResilienceChain>(() => Build(layers))).Value;
    }

    public void Dispose()
    {
        foreach (IDisposable layer in _layers)
        {
            layer.Dispose();
        }
    }

    private AsyncResilienceChain Build(string name)
    {
        // Outermost first: Resilience4j's order, the thread-pool bulkhead innermost.
        List<IAsyncResilienceLayer> layers = [];
        AddSync(registries.Retries, name, layers);
        AddSync(registries.CircuitBreakers, name, layers);
        AddSync(registries.RateLimiters, name, layers);
        AddAsync(registries.TimeLimiters, name, layers);
        AddSync(registries.Bulkheads, name, layers);
        AddAsync(registries.ThreadPoolBulkheads, name, layers);
        if (layers.Count == 0)
        {
            throw new KeyNotFoundException($"No resilience chain named '{name}': no registry holds an instance of that name. Names held: {string.Join(", ", KnownNames())}.");
        }

        return Compose(layers);
    }

    private AsyncResilienceChain Build(ResilienceLayerName[] names)
    {
        List<IAsyncResilienceLayer> layers = new(names.Length);
        foreach (ResilienceLayerName name in names)
        {
            IAsyncResilienceLayer layer = name.Primitive switch
            {
                ResilienceConfiguration.Retry => Follow(registries.Retries, name),
                ResilienceConfiguration.CircuitBreaker => Follow(registries.CircuitBreakers, name),
                ResilienceConfiguration.RateLimiter when name.Permits > 1 => new RateLimiterPermitsLayer(Follow(registries.RateLimiters, name), name.Permits),
                ResilienceConfiguration.RateLimiter => Follow(registries.RateLimiters, name),
                ResilienceConfiguration.TimeLimiter => FollowAsync(registries.TimeLimiters, name),
                ResilienceConfiguration.Bulkhead => Follow(registries.Bulkheads, name),
                _ => FollowAsync(registries.ThreadPoolBulkheads, name),
            };
            layers.Add(layer);
        }

        return Compose(layers);
    }

    private static AsyncResilienceChain Compose(List<IAsyncResilienceLayer> layers)
    {
        if (layers.TrueForAll(static l => l is IResilienceLayer))
        {
            ResilienceChainBuilder builder = Decorators.Chain();
            foreach (IAsyncResilienceLayer layer in layers)
            {
                builder = builder.With((IResilienceLayer)layer);
            }

            return builder.Build();
        }

        AsyncResilienceChainBuilder asyncBuilder = Decorators.Chain().With(layers[0]);
        foreach (IAsyncResilienceLayer layer in layers.Skip(1))
        {
            asyncBuilder = asyncBuilder.With(layer);
        }

        return asyncBuilder.Build();
    }

    private void AddSync<TInstance, TOptions>(ResilienceRegistry<TInstance, TOptions> registry, string name, List<IAsyncResilienceLayer> layers)
        where TInstance : class, IResilienceLayer
        where TOptions : class
    {
        if (registry.TryGet(name, out TInstance? instance))
        {
            var layer = new RegistryLayer<TInstance>(name, instance, h => registry.EntryReplaced += h, h => registry.EntryReplaced -= h);
            _layers.Add(layer);
            layers.Add(layer);
        }
    }

    private void AddAsync<TInstance, TOptions>(ResilienceRegistry<TInstance, TOptions> registry, string name, List<IAsyncResilienceLayer> layers)
        where TInstance : class, IAsyncResilienceLayer
        where TOptions : class
    {
        if (registry.TryGet(name, out TInstance? instance))
        {
            var layer = new AsyncRegistryLayer<TInstance>(name, instance, h => registry.EntryReplaced += h, h => registry.EntryReplaced -= h);
            _layers.Add(layer);
            layers.Add(layer);
        }
    }

    private static TInstance Resolve<TInstance, TOptions>(ResilienceRegistry<TInstance, TOptions> registry, ResilienceLayerName name)
        where TInstance : class
        where TOptions : class =>
        name.Configuration is null ? registry.GetOrCreate(name.Name) : registry.GetOrCreate(name.Name, name.Configuration);

    private RegistryLayer<TInstance> Follow<TInstance, TOptions>(ResilienceRegistry<TInstance, TOptions> registry, ResilienceLayerName name)
        where TInstance : class, IResilienceLayer
        where TOptions : class
    {
        var layer = new RegistryLayer<TInstance>(name.Name, Resolve(registry, name), h => registry.EntryReplaced += h, h => registry.EntryReplaced -= h);
        _layers.Add(layer);
        return layer;
    }

    private AsyncRegistryLayer<TInstance> FollowAsync<TInstance, TOptions>(ResilienceRegistry<TInstance, TOptions> registry, ResilienceLayerName name)
        where TInstance : class, IAsyncResilienceLayer
        where TOptions : class
    {
        var layer = new AsyncRegistryLayer<TInstance>(name.Name, Resolve(registry, name), h => registry.EntryReplaced += h, h => registry.EntryReplaced -= h);
        _layers.Add(layer);
        return layer;
    }

    private IEnumerable<string> KnownNames() =>
        registries.Retries.GetAll().Select(static r => r.Name)
            .Concat(registries.CircuitBreakers.GetAll().Select(static b => b.Name))
            .Concat(registries.RateLimiters.GetAll().Select(static l => l.Name))
            .Concat(registries.TimeLimiters.GetAll().Select(static l => l.Name))
            .Concat(registries.Bulkheads.GetAll().Select(static b => b.Name))
            .Concat(registries.ThreadPoolBulkheads.GetAll().Select(static b => b.Name))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase);
}
