using BenchmarkDotNet.Attributes;
using Polly;
using Polly.CircuitBreaker;

namespace Resilience.Benchmarks;

/// <summary>
/// The cost of refusing a call. "Open" is a breaker opened with a wait far longer than the run (ours: one day;
/// Polly: tripped by failures with its maximum break of one day). "ForcedOpen"/"Isolated" is the manual hold
/// (ours: <see cref="CircuitBreaker.TransitionToForcedOpenState"/>; Polly: <see cref="CircuitBreakerManualControl.IsolateAsync"/>).
/// Throwing variants pay for creating and throwing the exception; the others refuse without throwing.
/// </summary>
[MemoryDiagnoser]
public class CircuitBreakerRejectionBenchmark
{
    private CircuitBreaker _open = null!;
    private CircuitBreaker _forcedOpen = null!;
    private ResiliencePipeline _pollyOpen = null!;
    private ResiliencePipeline<int> _pollyTypedOpen = null!;
    private ResiliencePipeline _pollyIsolated = null!;
    private ResiliencePipeline<int> _pollyTypedIsolated = null!;

    [GlobalSetup]
    public void Setup()
    {
        CircuitBreakerOptions options = Workload.DefaultOptions();
        options.WaitDurationInOpenState = TimeSpan.FromDays(1);
        _open = new CircuitBreaker("open", options);
        _open.TransitionToOpenState();
        _forcedOpen = new CircuitBreaker("forced-open", Workload.DefaultOptions());
        _forcedOpen.TransitionToForcedOpenState();
        Workload.Expect(_open.State == CircuitBreakerState.Open, "our breaker should be open");
        Workload.Expect(_forcedOpen.State == CircuitBreakerState.ForcedOpen, "our breaker should be forced open");

        // Polly: trip by failures (two calls, ratio 1.0) and stay open for its maximum break of one day.
        var openState = new CircuitBreakerStateProvider();
        CircuitBreakerStrategyOptions pollyOpen = Workload.PollyOptions();
        pollyOpen.MinimumThroughput = 2;
        pollyOpen.BreakDuration = TimeSpan.FromDays(1);
        pollyOpen.StateProvider = openState;
        _pollyOpen = new ResiliencePipelineBuilder().AddCircuitBreaker(pollyOpen).Build();
        for (var i = 0; i < 2; i++)
        {
            try
            {
                _pollyOpen.Execute(static () => throw Workload.CachedFailure);
            }
            catch (InvalidOperationException)
            {
                // Expected: the failure that trips the breaker.
            }
        }

        Workload.Expect(openState.CircuitState == CircuitState.Open, $"Polly breaker should be open, is {openState.CircuitState}");

        var typedOpenState = new CircuitBreakerStateProvider();
        CircuitBreakerStrategyOptions<int> pollyTypedOpen = Workload.PollyTypedOptions();
        pollyTypedOpen.MinimumThroughput = 2;
        pollyTypedOpen.BreakDuration = TimeSpan.FromDays(1);
        pollyTypedOpen.StateProvider = typedOpenState;
        _pollyTypedOpen = new ResiliencePipelineBuilder<int>().AddCircuitBreaker(pollyTypedOpen).Build();
        for (var i = 0; i < 2; i++)
        {
            _ = _pollyTypedOpen.Execute(static () => Workload.FailedResult);
        }

        Workload.Expect(typedOpenState.CircuitState == CircuitState.Open, $"typed Polly breaker should be open, is {typedOpenState.CircuitState}");

        // Polly: isolated by manual control (one control drives both pipelines).
        var control = new CircuitBreakerManualControl();
        var isolatedState = new CircuitBreakerStateProvider();
        var typedIsolatedState = new CircuitBreakerStateProvider();
        CircuitBreakerStrategyOptions pollyIsolated = Workload.PollyOptions();
        pollyIsolated.ManualControl = control;
        pollyIsolated.StateProvider = isolatedState;
        CircuitBreakerStrategyOptions<int> pollyTypedIsolated = Workload.PollyTypedOptions();
        pollyTypedIsolated.ManualControl = control;
        pollyTypedIsolated.StateProvider = typedIsolatedState;
        _pollyIsolated = new ResiliencePipelineBuilder().AddCircuitBreaker(pollyIsolated).Build();
        _pollyTypedIsolated = new ResiliencePipelineBuilder<int>().AddCircuitBreaker(pollyTypedIsolated).Build();
        control.IsolateAsync().GetAwaiter().GetResult();
        Workload.Expect(isolatedState.CircuitState == CircuitState.Isolated, "Polly breaker should be isolated");
        Workload.Expect(typedIsolatedState.CircuitState == CircuitState.Isolated, "typed Polly breaker should be isolated");
    }

    [Benchmark(Baseline = true)]
    public int Bare() => Workload.Work(Workload.Input);

    [Benchmark]
    public int Resilience_TryAcquirePermission() => TryAcquire(_open);

    [Benchmark]
    public int Resilience_TryAcquirePermission_ForcedOpen() => TryAcquire(_forcedOpen);

    [Benchmark]
    public int Resilience_Throwing() => Throwing(_open);

    [Benchmark]
    public int Resilience_Throwing_ForcedOpen() => Throwing(_forcedOpen);

    [Benchmark]
    public int Polly_Throwing() => Throwing(_pollyOpen);

    [Benchmark]
    public int Polly_Throwing_Isolated() => Throwing(_pollyIsolated);

    [Benchmark]
    public int PollyTyped_Outcome() => Outcome(_pollyTypedOpen);

    [Benchmark]
    public int PollyTyped_Outcome_Isolated() => Outcome(_pollyTypedIsolated);

    private static int TryAcquire(CircuitBreaker breaker) => breaker.TryAcquirePermission(out _) ? Workload.Work(Workload.Input) : Workload.FailedResult;

    private static int Throwing(CircuitBreaker breaker)
    {
        try
        {
            return breaker.Execute(static s => Workload.Work(s), Workload.Input);
        }
        catch (CallNotPermittedException)
        {
            return Workload.FailedResult;
        }
    }

    private static int Throwing(ResiliencePipeline pipeline)
    {
        try
        {
            return pipeline.Execute(static s => Workload.Work(s), Workload.Input);
        }
        catch (BrokenCircuitException)
        {
            // IsolatedCircuitException derives from BrokenCircuitException.
            return Workload.FailedResult;
        }
    }

    private static int Outcome(ResiliencePipeline<int> pipeline)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        try
        {
            ValueTask<Outcome<int>> pending = pipeline.ExecuteOutcomeAsync(
                static (_, s) => Polly.Outcome.FromResultAsValueTask(Workload.Work(s)), context, Workload.Input);
            if (!pending.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("The outcome should complete synchronously.");
            }

            Outcome<int> outcome = pending.Result;
            return outcome.Exception is null ? outcome.Result : Workload.FailedResult;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
