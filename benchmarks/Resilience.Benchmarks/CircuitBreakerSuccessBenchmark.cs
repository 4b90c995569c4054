using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Polly;

namespace Resilience.Benchmarks;

/// <summary>
/// The happy path: one closed breaker whose window is full of successes, a trivial protected call. Each category
/// (Sync, Async) has its own baseline, the bare call of the same function.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class CircuitBreakerSuccessBenchmark
{
    private CircuitBreaker _breaker = null!;
    private ResiliencePipeline _polly = null!;
    private ResiliencePipeline<int> _pollyTyped = null!;

    [GlobalSetup]
    public void Setup()
    {
        _breaker = new CircuitBreaker("success", Workload.DefaultOptions());
        _polly = new ResiliencePipelineBuilder().AddCircuitBreaker(Workload.PollyOptions()).Build();
        _pollyTyped = new ResiliencePipelineBuilder<int>().AddCircuitBreaker(Workload.PollyTypedOptions()).Build();

        Workload.Warm(_breaker);
        Workload.Warm(_polly);
        Workload.Warm(_pollyTyped);
        Workload.Expect(_breaker.GetMetrics().NumberOfBufferedCalls == 100, "the count window should be full");
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Sync")]
    public int Bare_Sync() => Workload.Work(Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int Resilience_Sync() => _breaker.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int Polly_Sync() => _polly.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int PollyTyped_Sync() => _pollyTyped.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Async")]
    public ValueTask<int> Bare_Async() => Workload.WorkAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public ValueTask<int> Resilience_Async() =>
        _breaker.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public ValueTask<int> Polly_Async() =>
        _polly.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public ValueTask<int> PollyTyped_Async() =>
        _pollyTyped.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);
}
