using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Polly;
using Polly.Retry;

namespace Resilience.Benchmarks;

/// <summary>
/// The happy path of a retry: the first attempt succeeds, so nothing waits. Each category (Sync, Async) has its own
/// baseline, the bare call of the same function. Both libraries retry any exception, three attempts in all.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class RetryBenchmark
{
    private Retry _retry = null!;
    private ResiliencePipeline<int> _pollyTyped = null!;

    [GlobalSetup]
    public void Setup()
    {
        _retry = new Retry("success", new RetryOptions { MaxAttempts = 3, WaitDuration = TimeSpan.FromMilliseconds(500) });
        _pollyTyped = new ResiliencePipelineBuilder<int>()
            .AddRetry(new RetryStrategyOptions<int>
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(500),
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = static args => args.Outcome.Exception is not null ? PredicateResult.True() : PredicateResult.False(),
            })
            .Build();

        Workload.Warm(_pollyTyped);
        Workload.Expect(_retry.Execute(static s => Workload.Work(s), Workload.Input) == Workload.Input + 1, "the retry should return the result");
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Sync")]
    public int Bare_Sync() => Workload.Work(Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int Resilience_Sync() => _retry.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public int PollyTyped_Sync() => _pollyTyped.Execute(static s => Workload.Work(s), Workload.Input);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Async")]
    public ValueTask<int> Bare_Async() => Workload.WorkAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public ValueTask<int> Resilience_Async() =>
        _retry.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Async")]
    public ValueTask<int> PollyTyped_Async() =>
        _pollyTyped.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);
}
