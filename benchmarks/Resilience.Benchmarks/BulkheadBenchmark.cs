using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Polly;

namespace Resilience.Benchmarks;

/// <summary>
/// The uncontended path of a bulkhead: a permit is always free, the protected call is trivial. Compared with Polly v8's
/// concurrency limiter (a typed pipeline over System.Threading.RateLimiting) and with the <see cref="ConcurrencyLimiter"/>
/// itself, acquired and disposed directly. Each category (Sync, Async) has its own baseline, the bare call.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class BulkheadBenchmark
{
    private const int Permits = 25;

    private Bulkhead _bulkhead = null!;
    private ResiliencePipeline<int> _pollyTyped = null!;
    private ConcurrencyLimiter _limiter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bulkhead = new Bulkhead("bench", new BulkheadOptions { MaxConcurrentCalls = Permits });
        _pollyTyped = new ResiliencePipelineBuilder<int>().AddConcurrencyLimiter(Permits, queueLimit: 0).Build();
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Permits,
            QueueLimit = 0,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        Workload.Expect(Resilience_Sync() == Workload.Input + 1, "the bulkhead should permit the call");
        Workload.Expect(PollyTyped_Sync() == Workload.Input + 1, "the Polly pipeline should permit the call");
        Workload.Expect(Limiter_Sync() == Workload.Input + 1, "the limiter should permit the call");
        Workload.Expect(_bulkhead.GetMetrics().AvailableConcurrentCalls == Permits, "every permit should be back");
    }

    [GlobalCleanup]
    public void Cleanup() => _limiter.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Sync")]
    public int Bare_Sync() => Workload.Work(Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int Resilience_Sync() => _bulkhead.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int PollyTyped_Sync() => _pollyTyped.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int Limiter_Sync()
    {
        using RateLimitLease lease = _limiter.AttemptAcquire();
        return lease.IsAcquired ? Workload.Work(Workload.Input) : Workload.FailedResult;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Async")]
    public ValueTask<int> Bare_Async() => Workload.WorkAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public ValueTask<int> Resilience_Async() =>
        _bulkhead.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public ValueTask<int> PollyTyped_Async() =>
        _pollyTyped.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public async ValueTask<int> Limiter_Async()
    {
        using RateLimitLease lease = await _limiter.AcquireAsync(1, CancellationToken.None);
        return lease.IsAcquired ? await Workload.WorkAsync(Workload.Input, CancellationToken.None) : Workload.FailedResult;
    }
}
