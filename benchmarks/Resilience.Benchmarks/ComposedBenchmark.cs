using BenchmarkDotNet.Attributes;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Resilience.Benchmarks;

/// <summary>
/// Retry + circuit breaker + time limiter + bulkhead around one successful call, ours through <see cref="AsyncDecorators{TResult}"/>
/// (Resilience4j's order: Retry(CircuitBreaker(TimeLimiter(Bulkhead(call))))), through the non-generic
/// <see cref="AsyncResilienceChain"/>, and nested by hand (the four primitives' own state-passing calls, the floor a
/// composition can reach), against Polly's typed pipeline built in the same order (retry, circuit breaker, timeout,
/// concurrency limiter). The time limiter needs the async path.
/// </summary>
[MemoryDiagnoser]
public class ComposedBenchmark
{
    private AsyncDecorators<int> _decorators = null!;
    private AsyncDecorators<int> _decoratorsWithFallback = null!;
    private AsyncResilienceChain _chain = null!;
    private Primitives _primitives;
    private ResiliencePipeline<int> _pollyTyped = null!;

    [GlobalSetup]
    public void Setup()
    {
        var retry = new Retry("composed", new RetryOptions { MaxAttempts = 3, WaitDuration = TimeSpan.FromMilliseconds(500) });
        var breaker = new CircuitBreaker("composed", Workload.DefaultOptions());
        var timeLimiter = new TimeLimiter("composed", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(1) });
        var bulkhead = new Bulkhead("composed", new BulkheadOptions { MaxConcurrentCalls = 25 });
        _decorators = Decorators.For<int>()
            .WithRetry(retry).WithCircuitBreaker(breaker).WithTimeLimiter(timeLimiter).WithBulkhead(bulkhead)
            .Build();
        _decoratorsWithFallback = Decorators.For<int>()
            .WithRetry(retry).WithCircuitBreaker(breaker).WithTimeLimiter(timeLimiter).WithBulkhead(bulkhead)
            .WithFallback<CallNotPermittedException>(static _ => Workload.FailedResult)
            .Build();
        _chain = Decorators.Chain()
            .WithRetry(retry).WithCircuitBreaker(breaker).WithTimeLimiter(timeLimiter).WithBulkhead(bulkhead)
            .Build();
        _primitives = new Primitives(retry, breaker, timeLimiter, bulkhead);

        _pollyTyped = new ResiliencePipelineBuilder<int>()
            .AddRetry(new RetryStrategyOptions<int> { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(500) })
            .AddCircuitBreaker(Workload.PollyTypedOptions())
            .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(1) })
            .AddConcurrencyLimiter(25)
            .Build();

        for (int i = 0; i < 200; i++)
        {
            Workload.Expect(Resilience_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "our composition should succeed");
            Workload.Expect(ResilienceWithFallback_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "our composition should succeed");
            Workload.Expect(ResilienceChain_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "our chain should succeed");
            Workload.Expect(HandNested_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "the nested primitives should succeed");
            Workload.Expect(PollyTyped_Async().AsTask().GetAwaiter().GetResult() == Workload.Input + 1, "Polly's pipeline should succeed");
        }
    }

    [Benchmark(Baseline = true)]
    public ValueTask<int> Bare_Async() => Workload.WorkAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> Resilience_Async() =>
        _decorators.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> ResilienceWithFallback_Async() =>
        _decoratorsWithFallback.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> ResilienceChain_Async() =>
        _chain.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> HandNested_Async() =>
        _primitives.Retry.ExecuteAsync(
            static (p, ct) => p.Breaker.ExecuteAsync(
                static (p, ct) => p.TimeLimiter.ExecuteAsync(
                    static (p, ct) => p.Bulkhead.ExecuteAsync(static (_, ct) => Workload.WorkAsync(Workload.Input, ct), p, ct),
                    p,
                    ct),
                p,
                ct),
            _primitives,
            CancellationToken.None);

    [Benchmark]
    public ValueTask<int> PollyTyped_Async() =>
        _pollyTyped.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    /// <summary>The four primitives, passed as state through the hand-nested calls.</summary>
    private readonly record struct Primitives(Retry Retry, CircuitBreaker Breaker, TimeLimiter TimeLimiter, Bulkhead Bulkhead);
}
