using BenchmarkDotNet.Attributes;
using Polly;

namespace Resilience.Benchmarks;

/// <summary>
/// Throughput of one breaker shared by <see cref="Threads"/> threads on the success path. Each invocation runs a
/// fixed total of <see cref="TotalOps"/> protected calls, split evenly across <see cref="Threads"/> pre-created
/// worker threads (<c>OpsPerThread = TotalOps / Threads</c>) that start together on a barrier;
/// <c>OperationsPerInvoke = TotalOps</c>, so the reported Mean is the aggregate time per call (1 / throughput).
/// Perfect scaling halves the Mean when the thread count doubles, as long as there are enough cores.
/// </summary>
/// <remarks>
/// The total is fixed instead of the per-thread count because <c>OperationsPerInvoke</c> must be a constant; with
/// <c>Threads * (TotalOps / Threads) == TotalOps</c> for every parameter value, each thread does
/// <c>TotalOps / Threads</c> calls. The per-call work is the same for the three libraries: the static
/// <see cref="Workload.Work"/> through a static lambda with the loop index as state.
/// </remarks>
[MemoryDiagnoser]
public class CircuitBreakerContentionBenchmark
{
    /// <summary>Calls per invocation, across all threads: 200 000 per thread at 8 threads, 1 600 000 at 1 thread.</summary>
    /// <remarks>Large enough that the barrier hand-off (microseconds) is noise even when eight threads share it.</remarks>
    public const int TotalOps = 1_600_000;

    // One sink per worker, 128 bytes apart, so the results never share a cache line.
    private const int SinkStride = 16;

    private CircuitBreaker _breaker = null!;
    private ResiliencePipeline _polly = null!;
    private ResiliencePipeline<int> _pollyTyped = null!;
    private Thread[] _workers = [];
    private Barrier _barrier = null!;
    private long[] _sinks = [];
    private volatile Target _target;
    private volatile bool _stopping;

    private enum Target
    {
        Resilience,
        Polly,
        PollyTyped,
    }

    [Params(1, 2, 4, 8)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Workload.Expect(TotalOps % Threads == 0, "TotalOps must divide evenly across the threads");
        _breaker = new CircuitBreaker("shared", Workload.DefaultOptions());
        _polly = new ResiliencePipelineBuilder().AddCircuitBreaker(Workload.PollyOptions()).Build();
        _pollyTyped = new ResiliencePipelineBuilder<int>().AddCircuitBreaker(Workload.PollyTypedOptions()).Build();
        Workload.Warm(_breaker);
        Workload.Warm(_polly);
        Workload.Warm(_pollyTyped);

        _sinks = new long[(Threads + 1) * SinkStride];
        _barrier = new Barrier(Threads + 1);
        _workers = new Thread[Threads];
        for (var i = 0; i < Threads; i++)
        {
            int index = i;
            _workers[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"bench-worker-{i}" };
            _workers[i].Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _ = _barrier.SignalAndWait(TimeSpan.FromSeconds(30));
        foreach (Thread worker in _workers)
        {
            _ = worker.Join(TimeSpan.FromSeconds(30));
        }

        _barrier.Dispose();
        Workload.Expect(_breaker.State == CircuitBreakerState.Closed, $"shared breaker is {_breaker.State}");
    }

    [Benchmark(OperationsPerInvoke = TotalOps)]
    public void Resilience_Shared() => RunInvocation(Target.Resilience);

    [Benchmark(OperationsPerInvoke = TotalOps)]
    public void PollyTyped_Shared() => RunInvocation(Target.PollyTyped);

    [Benchmark(OperationsPerInvoke = TotalOps)]
    public void Polly_Shared() => RunInvocation(Target.Polly);

    private void RunInvocation(Target target)
    {
        _target = target;
        _barrier.SignalAndWait(); // start: every worker begins together
        _barrier.SignalAndWait(); // end: every worker has finished its share
    }

    private void WorkerLoop(int index)
    {
        int ops = TotalOps / Threads;
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            long sum = _target switch
            {
                Target.Resilience => RunResilience(_breaker, ops),
                Target.Polly => RunPolly(_polly, ops),
                _ => RunPollyTyped(_pollyTyped, ops),
            };
            _sinks[index * SinkStride] += sum;
            _barrier.SignalAndWait();
        }
    }

    private static long RunResilience(CircuitBreaker breaker, int ops)
    {
        long sum = 0;
        for (var i = 0; i < ops; i++)
        {
            sum += breaker.Execute(static s => Workload.Work(s), i);
        }

        return sum;
    }

    private static long RunPolly(ResiliencePipeline pipeline, int ops)
    {
        long sum = 0;
        for (var i = 0; i < ops; i++)
        {
            sum += pipeline.Execute(static s => Workload.Work(s), i);
        }

        return sum;
    }

    private static long RunPollyTyped(ResiliencePipeline<int> pipeline, int ops)
    {
        long sum = 0;
        for (var i = 0; i < ops; i++)
        {
            sum += pipeline.Execute(static s => Workload.Work(s), i);
        }

        return sum;
    }
}
