using System.Globalization;
using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Polly;

namespace Resilience.Benchmarks;

/// <summary>
/// The thread-pool bulkhead. <b>PerCall</b>: one task at a time, submitted and awaited: the cost of a hop to a warm
/// dedicated thread and back, against <c>Task.Run</c> (the .NET pool), a new
/// <see cref="TaskCreationOptions.LongRunning"/> thread per call, and Polly's concurrency limiter around
/// <c>Task.Run</c> (Polly has no thread-pool bulkhead). <b>Saturation</b>: producers submit small
/// tasks continuously into a bulkhead of 2 threads and 16 queue slots; the time per operation (one submission,
/// accepted or rejected) gives the throughput, and the rejection count is printed after the run.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ThreadPoolBulkheadBenchmark
{
    private const int Producers = 4;
    private const int SubmissionsPerProducer = 2_500;
    private const int Submissions = Producers * SubmissionsPerProducer;

    private ThreadPoolBulkhead _bulkhead = null!;
    private ThreadPoolBulkhead _saturated = null!;
    private ResiliencePipeline<int> _pollyTyped = null!;
    private long _accepted;
    private long _rejected;

    [GlobalSetup]
    public void Setup()
    {
        _bulkhead = new ThreadPoolBulkhead("per-call", new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 1, MaxThreadPoolSize = 1, QueueCapacity = 16 });
        _saturated = new ThreadPoolBulkhead("saturated", new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 2, MaxThreadPoolSize = 2, QueueCapacity = 16 });
        _pollyTyped = new ResiliencePipelineBuilder<int>()
            .AddConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 16, QueueProcessingOrder = QueueProcessingOrder.OldestFirst })
            .Build();
        Workload.Expect(_bulkhead.Submit(static (s, _) => Workload.Work(s), Workload.Input).GetAwaiter().GetResult() == Workload.Input + 1, "the bulkhead should run the work");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bulkhead.Dispose();
        _saturated.Dispose();
        long total = _accepted + _rejected;
        if (total > 0)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"// Saturation: {_rejected:N0} of {total:N0} submissions rejected ({100.0 * _rejected / total:0.#} %), {_accepted:N0} accepted."));
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("PerCall")]
    public async Task<int> TaskRun() => await Task.Run(static () => Workload.Work(Workload.Input));

    [Benchmark]
    [BenchmarkCategory("PerCall")]
    public async Task<int> Resilience_Submit() =>
        await _bulkhead.Submit(static (s, _) => Workload.Work(s), Workload.Input);

    [Benchmark]
    [BenchmarkCategory("PerCall")]
    public async Task<int> LongRunningThread() =>
        await Task.Factory.StartNew(static () => Workload.Work(Workload.Input), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [Benchmark]
    [BenchmarkCategory("PerCall")]
    public async Task<int> PollyTyped_ConcurrencyLimiter_TaskRun() =>
        await _pollyTyped.ExecuteAsync(static async (s, ct) => await Task.Run(() => Workload.Work(s), ct), Workload.Input, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Submissions)]
    [BenchmarkCategory("Saturation")]
    public async Task Resilience_Saturation()
    {
        var producers = new Task[Producers];
        for (int p = 0; p < Producers; p++)
        {
            producers[p] = Task.Run(Produce);
        }

        await Task.WhenAll(producers);
    }

    private async Task Produce()
    {
        var pending = new Queue<Task<int>>();
        long accepted = 0, rejected = 0;
        for (int i = 0; i < SubmissionsPerProducer; i++)
        {
            try
            {
                pending.Enqueue(_saturated.Submit(static (s, _) => Workload.Work(s), i));
                accepted++;
            }
            catch (BulkheadFullException)
            {
                rejected++;
                if (pending.Count > 0)
                {
                    await pending.Dequeue(); // Back-pressure: wait for our oldest task instead of spinning on rejections.
                }
            }
        }

        while (pending.Count > 0)
        {
            await pending.Dequeue();
        }

        Interlocked.Add(ref _accepted, accepted);
        Interlocked.Add(ref _rejected, rejected);
    }
}
