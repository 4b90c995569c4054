using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;
using Resilience.DependencyInjection;

namespace Resilience.Benchmarks;

/// <summary>
/// The DI path: a named composition (retry, circuit breaker, time limiter, bulkhead) resolved once from the container
/// and executed, ours through <see cref="IResilienceChainProvider"/> bound from configuration, against Polly's
/// <see cref="ResiliencePipelineProvider{TKey}"/> pipeline with the same strategies.
/// </summary>
[MemoryDiagnoser]
public class DependencyInjectionBenchmark : IDisposable
{
    private ServiceProvider _ours = null!;
    private ServiceProvider _polly = null!;
    private AsyncResilienceChain _chain = null!;
    private ResiliencePipeline _pipeline = null!;

    [GlobalSetup]
    public void Setup()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resilience:Retry:Instances:inventory:MaxAttempts"] = "3",
            ["Resilience:Retry:Instances:inventory:WaitDuration"] = "00:00:00.5",
            ["Resilience:CircuitBreaker:Instances:inventory:SlidingWindowSize"] = "100",
            ["Resilience:CircuitBreaker:Instances:inventory:MinimumNumberOfCalls"] = "100",
            ["Resilience:TimeLimiter:Instances:inventory:TimeoutDuration"] = "00:00:01",
            ["Resilience:Bulkhead:Instances:inventory:MaxConcurrentCalls"] = "25",
        }).Build();
        _ours = new ServiceCollection().AddResilience(configuration.GetSection("Resilience")).BuildServiceProvider();
        _chain = _ours.GetRequiredService<IResilienceChainProvider>().GetChain("inventory");

        var polly = new ServiceCollection();
        polly.AddResiliencePipeline("inventory", static builder => builder
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(500) })
            .AddCircuitBreaker(Workload.PollyOptions())
            .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(1) })
            .AddConcurrencyLimiter(25));
        _polly = polly.BuildServiceProvider();
        _pipeline = _polly.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline("inventory");

        for (int i = 0; i < 200; i++)
        {
            Workload.Expect(Resilience_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "our chain should succeed");
            Workload.Expect(Polly_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "Polly's pipeline should succeed");
        }
    }

    [Benchmark(Baseline = true)]
    public ValueTask<int> Bare_Async() => Workload.WorkAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> Resilience_Async() =>
        _chain.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> Polly_Async() =>
        _pipeline.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [GlobalCleanup]
    public void Dispose()
    {
        _ours?.Dispose();
        _polly?.Dispose();
        GC.SuppressFinalize(this);
    }
}
