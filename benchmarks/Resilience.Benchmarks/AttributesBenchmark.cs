using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Resilience.Attributes;
using Resilience.DependencyInjection;

namespace Resilience.Benchmarks;

/// <summary>
/// The attributes' path: a call through the decorator the source generator writes (retry, circuit breaker, time
/// limiter, bulkhead), against the same composition written by hand through the public API (the decorator a user would
/// write), Polly's pipeline with the same strategies, and the bare call.
/// </summary>
[MemoryDiagnoser]
public class AttributesBenchmark : IDisposable
{
    private ServiceProvider _services = null!;
#pragma warning disable CA1859 // Every variant is called through the interface, as the service's consumers call it.
    private IStockService _bare = null!;
    private IStockService _generated = null!;
    private IStockService _handWritten = null!;
#pragma warning restore CA1859
    private ResiliencePipeline _pipeline = null!;

    /// <summary>The annotated service.</summary>
    [Retry("stock")]
    [CircuitBreaker("stock")]
    [TimeLimiter("stock")]
    [Bulkhead("stock")]
    public interface IStockService
    {
        /// <summary>Gets the stock of an item.</summary>
        ValueTask<int> GetAsync(int input, CancellationToken cancellationToken);
    }

    [GlobalSetup]
    public void Setup()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:Retry:Instances:stock:MaxAttempts"] = "3",
            ["Resilience:Retry:Instances:stock:WaitDuration"] = "00:00:00.5",
            ["Resilience:CircuitBreaker:Instances:stock:SlidingWindowSize"] = "100",
            ["Resilience:CircuitBreaker:Instances:stock:MinimumNumberOfCalls"] = "100",
            ["Resilience:TimeLimiter:Instances:stock:TimeoutDuration"] = "00:00:01",
            ["Resilience:Bulkhead:Instances:stock:MaxConcurrentCalls"] = "25",
        }).Build();
        _services = new ServiceCollection()
            .AddResilience(configuration.GetSection("Resilience"))
            .AddResilient<IStockService, StockService>(ServiceLifetime.Singleton)
            .BuildServiceProvider();
        _bare = new StockService();
        _generated = _services.GetRequiredService<IStockService>();
        _handWritten = new HandWrittenStockService(_bare, _services.GetRequiredService<IResilienceChainProvider>());
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(500) })
            .AddCircuitBreaker(Workload.PollyOptions())
            .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(1) })
            .AddConcurrencyLimiter(25)
            .Build();

        for (int i = 0; i < 200; i++)
        {
            Workload.Expect(Generated_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "the generated decorator should succeed");
            Workload.Expect(HandWritten_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "the hand-written decorator should succeed");
            Workload.Expect(Polly_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "Polly's pipeline should succeed");
        }
    }

    [Benchmark(Baseline = true)]
    public ValueTask<int> Bare_Async() => _bare.GetAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> Generated_Async() => _generated.GetAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> HandWritten_Async() => _handWritten.GetAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> Polly_Async() =>
        _pipeline.ExecuteAsync(static (s, ct) => s.Service.GetAsync(s.Input, ct), (Service: _bare, Input: Workload.Input), CancellationToken.None);

    [GlobalCleanup]
    public void Dispose()
    {
        _services?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The protected service: the shared workload.</summary>
    private sealed class StockService : IStockService
    {
        public ValueTask<int> GetAsync(int input, CancellationToken cancellationToken) => Workload.WorkAsync(input, cancellationToken);
    }

    /// <summary>The composition a user would write by hand through the public API, resolved once.</summary>
    private sealed class HandWrittenStockService(IStockService inner, IResilienceChainProvider chains) : IStockService
    {
        private readonly AsyncResilienceChain _chain = chains.GetChain(
            new ResilienceLayerName(ResilienceConfiguration.Retry, "stock"),
            new ResilienceLayerName(ResilienceConfiguration.CircuitBreaker, "stock"),
            new ResilienceLayerName(ResilienceConfiguration.TimeLimiter, "stock"),
            new ResilienceLayerName(ResilienceConfiguration.Bulkhead, "stock"));

        public ValueTask<int> GetAsync(int input, CancellationToken cancellationToken) =>
            _chain.ExecuteAsync(static (s, ct) => s.Inner.GetAsync(s.Input, ct), (Inner: inner, Input: input), cancellationToken);
    }
}
