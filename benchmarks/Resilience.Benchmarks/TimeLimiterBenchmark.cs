using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Polly;
using Polly.Timeout;

namespace Resilience.Benchmarks;

/// <summary>
/// The happy path of a time limiter with a 1-second timeout. "Sync": the operation's <see cref="ValueTask{TResult}"/>
/// completes synchronously; both libraries arm a pooled timer, invoke, disarm and reset it. "Yield": the operation
/// yields once, so the call really goes asynchronous; the difference to the bare call is the limiter's cost. Each
/// category has its own baseline, the bare call of the same function.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class TimeLimiterBenchmark
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private TimeLimiter _limiter = null!;
    private ResiliencePipeline<int> _pollyTyped = null!;

    [GlobalSetup]
    public void Setup()
    {
        _limiter = new TimeLimiter("success", new TimeLimiterOptions { TimeoutDuration = Timeout });
        _pollyTyped = new ResiliencePipelineBuilder<int>().AddTimeout(new TimeoutStrategyOptions { Timeout = Timeout }).Build();

        for (int i = 0; i < 200; i++)
        {
            Workload.Expect(Completed(Resilience_Sync()) == Workload.Input + 1, "the time limiter should succeed synchronously");
            Workload.Expect(Completed(PollyTyped_Sync()) == Workload.Input + 1, "the Polly pipeline should succeed synchronously");
            Workload.Expect(Resilience_Yield().GetAwaiter().GetResult() == Workload.Input + 1, "the time limiter should succeed");
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Sync")]
    public ValueTask<int> Bare_Sync() => Workload.WorkAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public ValueTask<int> Resilience_Sync() =>
        _limiter.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Sync")]
    public ValueTask<int> PollyTyped_Sync() =>
        _pollyTyped.ExecuteAsync(static (s, ct) => Workload.WorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Yield")]
    public async Task<int> Bare_Yield() => await YieldingWorkAsync(Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Yield")]
    public async Task<int> Resilience_Yield() =>
        await _limiter.ExecuteAsync(static (s, ct) => YieldingWorkAsync(s, ct), Workload.Input, CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("Yield")]
    public async Task<int> PollyTyped_Yield() =>
        await _pollyTyped.ExecuteAsync(static (s, ct) => YieldingWorkAsync(s, ct), Workload.Input, CancellationToken.None);

    private static async ValueTask<int> YieldingWorkAsync(int state, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return Workload.Work(state);
    }

    private static int Completed(ValueTask<int> task) => task.IsCompletedSuccessfully ? task.Result : -1;
}
