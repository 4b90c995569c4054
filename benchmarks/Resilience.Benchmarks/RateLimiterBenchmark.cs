using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Polly;

namespace Resilience.Benchmarks;

/// <summary>
/// Acquire one permit and run a trivial call, when permits are plentiful (int.MaxValue per second, so no caller ever
/// waits): ours, <see cref="TokenBucketRateLimiter"/> (AttemptAcquire, then dispose the lease), a typed Polly v8
/// pipeline with <c>AddRateLimiter</c> over an identical token bucket, and ours through the
/// <see cref="RateLimiter"/> view. Each category (Sync, Async) has its own bare-call baseline.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class RateLimiterBenchmark
{
    private RequestRateLimiter _limiter = null!;
    private TokenBucketRateLimiter _tokenBucket = null!;
    private TokenBucketRateLimiter _pollyBucket = null!;
    private ResiliencePipeline<int> _pollyTyped = null!;
    private RateLimiter _adapter = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new RequestRateLimiterOptions
        {
            LimitForPeriod = int.MaxValue,
            LimitRefreshPeriod = TimeSpan.FromSeconds(1),
            TimeoutDuration = TimeSpan.Zero,
        };
        _limiter = new RequestRateLimiter("plentiful", options);
        _tokenBucket = new TokenBucketRateLimiter(BucketOptions());
        _pollyBucket = new TokenBucketRateLimiter(BucketOptions());
        _pollyTyped = new ResiliencePipelineBuilder<int>().AddRateLimiter(_pollyBucket).Build();
        _adapter = new RequestRateLimiter("adapter", options).AsRateLimiter();

        Workload.Expect(_limiter.Execute(static s => Workload.Work(s), Workload.Input) == Workload.Input + 1, "our limiter should permit the call");
        using RateLimitLease lease = _tokenBucket.AttemptAcquire();
        Workload.Expect(lease.IsAcquired, "the token bucket should grant a permit");
        Workload.Warm(_pollyTyped);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tokenBucket.Dispose();
        _pollyBucket.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Sync")]
    public int Bare_Sync() => Workload.Work(Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int Resilience_Sync() => _limiter.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int TokenBucket_Sync()
    {
        using RateLimitLease lease = _tokenBucket.AttemptAcquire();
        return lease.IsAcquired ? Workload.Work(Workload.Input) : Workload.FailedResult;
    }

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int ResilienceAdapter_Sync()
    {
        using RateLimitLease lease = _adapter.AttemptAcquire();
        return lease.IsAcquired ? Workload.Work(Workload.Input) : Workload.FailedResult;
    }

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int PollyTyped_Sync() => _pollyTyped.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Async")]
    public ValueTask<int> Bare_Async() => Workload.WorkAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public ValueTask<int> Resilience_Async() =>
        _limiter.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public async ValueTask<int> TokenBucket_Async()
    {
        using RateLimitLease lease = await _tokenBucket.AcquireAsync();
        return lease.IsAcquired ? await Workload.WorkAsync(Workload.Input, CancellationToken.None) : Workload.FailedResult;
    }

    [Benchmark]
    [BenchmarkCategory("Async")]
    public ValueTask<int> PollyTyped_Async() =>
        _pollyTyped.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    private static TokenBucketRateLimiterOptions BucketOptions() => new()
    {
        TokenLimit = int.MaxValue,
        TokensPerPeriod = int.MaxValue,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        AutoReplenishment = true,
        QueueLimit = 0,
    };
}
