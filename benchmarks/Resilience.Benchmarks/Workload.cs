using System.Runtime.CompilerServices;
using Polly;
using Polly.CircuitBreaker;

namespace Resilience.Benchmarks;

/// <summary>The protected call and the option sets shared by every benchmark, so both libraries do the same work.</summary>
internal static class Workload
{
    /// <summary>The argument passed as state to <see cref="Work"/>.</summary>
    public const int Input = 42;

    /// <summary>The result a protected call returns when it fails without throwing (typed pipelines, window benchmarks).</summary>
    public const int FailedResult = -1;

    /// <summary>A cached exception, recorded as a failure through the low-level protocol; it is never thrown.</summary>
    public static readonly InvalidOperationException CachedFailure = new("Simulated failure.");

    /// <summary>The protected call: trivial, but never inlined, so every variant pays one real call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Work(int state) => state + 1;

    /// <summary>The asynchronous protected call, always completed synchronously.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ValueTask<int> WorkAsync(int state, CancellationToken cancellationToken) => new(state + 1);

    /// <summary>Resilience4j-like defaults: count window of 100 calls, minimum 100, failure threshold 50 %.</summary>
    public static CircuitBreakerOptions DefaultOptions() => new()
    {
        SlidingWindowType = SlidingWindowType.CountBased,
        SlidingWindowSize = 100,
        MinimumNumberOfCalls = 100,
        FailureRateThreshold = 50f,
    };

    /// <summary>The closest Polly equivalent of <see cref="DefaultOptions"/>: ratio 0.5, throughput 100, 30 s sampling, 60 s break, any exception.</summary>
    public static CircuitBreakerStrategyOptions PollyOptions() => new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = 100,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(60),
        ShouldHandle = static args => Handled(args.Outcome.Exception is not null),
    };

    /// <summary>Typed Polly options: as <see cref="PollyOptions"/>, and a negative result is a failure too.</summary>
    public static CircuitBreakerStrategyOptions<int> PollyTypedOptions() => new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = 100,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(60),
        ShouldHandle = static args => Handled(args.Outcome.Exception is not null || args.Outcome.Result < 0),
    };

    /// <summary>Warms a closed breaker until its window is full of successes.</summary>
    public static void Warm(CircuitBreaker breaker, int calls = 200)
    {
        for (var i = 0; i < calls; i++)
        {
            _ = breaker.Execute(static s => Work(s), Input);
        }

        Expect(breaker.State == CircuitBreakerState.Closed, $"breaker '{breaker.Name}' should be closed after warm-up, is {breaker.State}");
    }

    /// <summary>Warms a Polly pipeline (fills its health metrics) with successful calls.</summary>
    public static void Warm(ResiliencePipeline pipeline, int calls = 200)
    {
        for (var i = 0; i < calls; i++)
        {
            _ = pipeline.Execute(static s => Work(s), Input);
        }
    }

    /// <summary>Warms a typed Polly pipeline with successful calls.</summary>
    public static void Warm(ResiliencePipeline<int> pipeline, int calls = 200)
    {
        for (var i = 0; i < calls; i++)
        {
            _ = pipeline.Execute(static s => Work(s), Input);
        }
    }

    /// <summary>Fails the setup loudly, so a mis-configured benchmark errors instead of measuring the wrong path.</summary>
    public static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Benchmark setup: " + message);
        }
    }

    private static ValueTask<bool> Handled(bool handled) => handled ? PredicateResult.True() : PredicateResult.False();
}
