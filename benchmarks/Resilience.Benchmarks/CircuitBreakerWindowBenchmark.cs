using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Polly;
using Polly.CircuitBreaker;

namespace Resilience.Benchmarks;

/// <summary>
/// The cost of recording into the sliding window: count-based (100 calls) against time-based (10 s), minimum
/// 100 calls, for an all-success workload and a mixed one where every 10th call fails (10 % against a 50 %
/// threshold, so no breaker ever opens). Nothing throws: our breaker is driven through its call contract
/// (<see cref="CircuitBreaker.TryAcquirePermission(out CircuitBreakerPermit)"/>, then
/// <see cref="CircuitBreakerPermit.RecordSuccess()"/> or <see cref="CircuitBreakerPermit.RecordFailure(Exception, CancellationToken)"/> with a cached
/// exception; the permit measures the call's duration on the coarse clock), and the typed Polly pipeline classifies a
/// negative result as a failure. Polly's window is always time-based (10 s, bucketed).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class CircuitBreakerWindowBenchmark
{
    private const int FailureEvery = 10;

    private CircuitBreaker _countBased = null!;
    private CircuitBreaker _timeBased = null!;
    private ResiliencePipeline<int> _pollyTyped = null!;
    private CircuitBreakerStateProvider _pollyState = null!;
    private uint _call;

    [GlobalSetup]
    public void Setup()
    {
        _countBased = new CircuitBreaker("count-based", Options(SlidingWindowType.CountBased, 100));
        _timeBased = new CircuitBreaker("time-based", Options(SlidingWindowType.TimeBased, 10));
        _pollyState = new CircuitBreakerStateProvider();
        CircuitBreakerStrategyOptions<int> polly = Workload.PollyTypedOptions();
        polly.SamplingDuration = TimeSpan.FromSeconds(10);
        polly.StateProvider = _pollyState;
        _pollyTyped = new ResiliencePipelineBuilder<int>().AddCircuitBreaker(polly).Build();

        // Fill every window with the mixed workload; the benchmarks then keep it in its steady state.
        for (var i = 0; i < 1_000; i++)
        {
            _ = CountBased_Mixed();
            _ = TimeBased_Mixed();
            _ = PollyTyped_Mixed();
        }

        AssertClosed();
    }

    [GlobalCleanup]
    public void Cleanup() => AssertClosed();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Success")]
    public int Resilience_CountBased_Success() => Success(_countBased);

    [Benchmark]
    [BenchmarkCategory("Success")]
    public int Resilience_TimeBased_Success() => Success(_timeBased);

    [Benchmark]
    [BenchmarkCategory("Success")]
    public int PollyTyped_Success() => _pollyTyped.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Mixed")]
    public int Resilience_CountBased_Mixed() => CountBased_Mixed();

    [Benchmark]
    [BenchmarkCategory("Mixed")]
    public int Resilience_TimeBased_Mixed() => TimeBased_Mixed();

    [Benchmark]
    [BenchmarkCategory("Mixed")]
    public int PollyTyped_Mixed() => _pollyTyped.Execute(static self => self.NextResult(), this);

    private static CircuitBreakerOptions Options(SlidingWindowType type, int size)
    {
        CircuitBreakerOptions options = Workload.DefaultOptions();
        options.SlidingWindowType = type;
        options.SlidingWindowSize = size;
        return options;
    }

    private static int Success(CircuitBreaker breaker)
    {
        if (!breaker.TryAcquirePermission(out CircuitBreakerPermit permit))
        {
            return Workload.FailedResult;
        }

        int result = Workload.Work(Workload.Input);
        permit.RecordSuccess();
        return result;
    }

    private int CountBased_Mixed() => Mixed(_countBased);

    private int TimeBased_Mixed() => Mixed(_timeBased);

    private int Mixed(CircuitBreaker breaker)
    {
        if (!breaker.TryAcquirePermission(out CircuitBreakerPermit permit))
        {
            return Workload.FailedResult;
        }

        int result = NextResult();
        if (result < 0)
        {
            permit.RecordFailure(Workload.CachedFailure);
        }
        else
        {
            permit.RecordSuccess();
        }

        return result;
    }

    /// <summary>The protected call of the mixed workload: every 10th call fails by returning a negative result.</summary>
    private int NextResult() => ++_call % FailureEvery == 0 ? Workload.FailedResult : Workload.Work(Workload.Input);

    private void AssertClosed()
    {
        Workload.Expect(_countBased.State == CircuitBreakerState.Closed, $"count-based breaker is {_countBased.State}");
        Workload.Expect(_timeBased.State == CircuitBreakerState.Closed, $"time-based breaker is {_timeBased.State}");
        Workload.Expect(_pollyState.CircuitState == CircuitState.Closed, $"Polly breaker is {_pollyState.CircuitState}");
    }
}
