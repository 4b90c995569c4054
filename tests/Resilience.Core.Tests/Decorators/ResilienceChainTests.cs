using Breaker = Resilience.CircuitBreaker;
using Pool = Resilience.ThreadPoolBulkhead;
using RetryPolicy = Resilience.Retry;
using Semaphore = Resilience.Bulkhead;
using Timer = Resilience.TimeLimiter;

namespace Resilience.Tests.Decorators;

/// <summary>The composition without a result type, <c>Decorators.Chain()</c>: itself a layer.</summary>
public class ResilienceChainTests
{
    private readonly List<string> _log = [];

    [Fact]
    public async Task Build_SynchronousLayers_RunsCallsOfAnyResultTypeOnBothPaths()
    {
        var breaker = new Breaker("c");
        ResilienceChain chain = Resilience.Decorators.Chain().WithRetry(new RetryPolicy("r")).WithCircuitBreaker(breaker).Build();

        int number = chain.Execute(static s => s + 1, 41);
        string text = await chain.ExecuteAsync(static (s, _) => new ValueTask<string>(s + "!"), "hi");
        string viaExtension = chain.Execute(static () => "sync");
        chain.Execute(static () => { });

        (number, text, viaExtension).Should().Be((42, "hi!", "sync"));
        chain.Should().BeAssignableTo<IResilienceLayer>();
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(4);
    }

    [Fact]
    public void Build_TimeLimiterStacked_IsAsynchronousOnly()
    {
        AsyncResilienceChainBuilder builder = Resilience.Decorators.Chain().WithCircuitBreaker(new Breaker("c")).WithTimeLimiter(new Timer("t"));

        AsyncResilienceChain chain = builder.Build();

        chain.Should().NotBeAssignableTo<IResilienceLayer>();
        chain.Should().BeAssignableTo<IAsyncResilienceLayer>();
    }

    [Fact]
    public void Build_NothingAdded_RunsTheCallDirectly()
    {
        ResilienceChain chain = Resilience.Decorators.Chain().Build();

        chain.Layers.Should().BeEmpty();
        chain.Execute(static s => s * 2, 21).Should().Be(42);
    }

    [Fact]
    public async Task ExecuteAsync_SynchronousThrow_ReportedThroughTheTask()
    {
        AsyncResilienceChain chain = Resilience.Decorators.Chain().Build();

        ValueTask<int> pending = chain.ExecuteAsync<int, int>(static (_, _) => throw new FormatException(), 0);

        pending.IsFaulted.Should().BeTrue();
        Func<Task> act = async () => await pending;
        await act.Should().ThrowAsync<FormatException>();
    }

    [Fact]
    public async Task ExecuteAsync_CallerTokenAlreadyCancelled_ReturnsCancelledTaskAndRunsNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var layer = new RecordingLayer("layer", _log);
        AsyncResilienceChain chain = Resilience.Decorators.Chain().With(layer).Build();

        ValueTask<int> pending = chain.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 1, cts.Token);

        pending.IsCanceled.Should().BeTrue();
        _log.Should().BeEmpty();
    }

    [Fact]
    public async Task With_ChainInsideDecorators_RunsAsOneLayerAndFallbackServesItsRejection()
    {
        var breaker = new Breaker("inventory");
        ResilienceChain chain = Resilience.Decorators.Chain().WithCircuitBreaker(breaker).Build();
        Decorators<string> decorators = Resilience.Decorators.For<string>()
            .With(chain)
            .WithFallback<CallNotPermittedException>(static ex => "cached:" + ex.CircuitBreakerName)
            .Build();

        string live = await decorators.ExecuteAsync(static _ => new ValueTask<string>("live"));
        breaker.TransitionToForcedOpenState();
        string cached = decorators.Execute(static () => "live");

        (live, cached).Should().Be(("live", "cached:inventory"));
        decorators.Layers.Should().Equal(chain);
    }

    [Fact]
    public async Task With_ChainInsideAnotherChain_ItsLayersNestWhereTheChainIs()
    {
        var a = new RecordingLayer("a", _log);
        var b = new RecordingLayer("b", _log);
        var outer = new RecordingLayer("outer", _log);
        var bulkhead = new Semaphore("bh");
        ResilienceChain inner = Resilience.Decorators.Chain().With(a).With(b).Build();
        ResilienceChain chain = Resilience.Decorators.Chain().With(outer).With(inner).WithBulkhead(bulkhead).Build();

        int result = await chain.ExecuteAsync(async (log, _) =>
        {
            await Task.Yield();
            log.Add("call");
            return 5;
        }, _log);

        result.Should().Be(5);
        chain.Layers.Should().Equal(outer, inner, bulkhead);
        _log.Should().Equal("outer>", "a>", "b>", "call", "<b", "<a", "<outer");
    }

    [Fact]
    public void With_AsyncOnlyChain_TurnsTheBuilderAsynchronous()
    {
        AsyncResilienceChain timed = Resilience.Decorators.Chain().WithTimeLimiter(new Timer("t")).Build();

        AsyncDecoratorsBuilder<int> typed = Resilience.Decorators.For<int>().With(timed);
        AsyncDecoratorsBuilder untyped = Resilience.Decorators.For().With(timed);
        AsyncResilienceChainBuilder chained = Resilience.Decorators.Chain().With(timed);

        typed.Build().Should().NotBeAssignableTo<Decorators<int>>();
        untyped.Build().Should().NotBeAssignableTo<Resilience.Decorators>();
        chained.Build().Should().NotBeAssignableTo<ResilienceChain>();
    }

    [Fact]
    public void ExecuteBothPaths_NestedChainAndTimeLimiter_AllocateNothingOnSuccess()
    {
        var breaker = new Breaker("c");
        ResilienceChain inner = Resilience.Decorators.Chain().WithRetry(new RetryPolicy("r")).WithCircuitBreaker(breaker).Build();
        ResilienceChain sync = Resilience.Decorators.Chain().With(inner).WithBulkhead(new Semaphore("b")).Build();
        AsyncResilienceChain async = Resilience.Decorators.Chain().With(inner).WithTimeLimiter(new Timer("t")).Build();
        Run(sync, async, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int sum = Run(sync, async, 1_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        sum.Should().Be(3_000);
        allocated.Should().Be(0);

        static int Run(ResilienceChain sync, AsyncResilienceChain async, int count)
        {
            int sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += sync.Execute(static s => s, 1);
                ValueTask<int> pending = sync.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 1);
                sum += pending.IsCompletedSuccessfully ? pending.Result : -1_000_000;
                pending = async.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 1);
                sum += pending.IsCompletedSuccessfully ? pending.Result : -1_000_000;
            }

            return sum;
        }
    }

    [Fact]
    public async Task ExecuteAsync_InnerBulkheadFull_ComposedPrimitivesCountExactlyAsNestedByHand()
    {
        // The composition adds no rule of its own: the retry and the breaker see the bulkhead's rejection exactly as
        // when the same primitives, with the same (default) rules, are nested by hand.
        (Exception composed, RetryMetrics composedRetry, CircuitBreakerMetrics composedBreaker) = await RejectedAsync(static p =>
            Resilience.Decorators.Chain().WithRetry(p.Retry).WithCircuitBreaker(p.Breaker).WithBulkhead(p.Bulkhead).Build()
                .ExecuteAsync(static (_, _) => new ValueTask<int>(1), 0));
        (Exception nested, RetryMetrics nestedRetry, CircuitBreakerMetrics nestedBreaker) = await RejectedAsync(static p =>
            p.Retry.ExecuteAsync(static (p, ct) => p.Breaker.ExecuteAsync(static (p, ct) => p.Bulkhead.ExecuteAsync(static (_, _) => new ValueTask<int>(1), p, ct), p, ct), p));

        composed.Should().BeOfType(nested.GetType()).And.BeOfType<BulkheadFullException>();
        composedRetry.Should().BeEquivalentTo(nestedRetry);
        composedBreaker.Should().BeEquivalentTo(nestedBreaker);
    }

    private static async Task<(Exception, RetryMetrics, CircuitBreakerMetrics)> RejectedAsync(Func<Primitives, ValueTask<int>> call)
    {
        var primitives = new Primitives(
            new RetryPolicy("r", new RetryOptions { WaitDuration = TimeSpan.Zero }),
            new Breaker("c"),
            new Semaphore("b", new BulkheadOptions { MaxConcurrentCalls = 1, MaxWaitDuration = TimeSpan.Zero }));
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        ValueTask<int> holder = primitives.Bulkhead.ExecuteAsync(static (g, _) => new ValueTask<int>(g.Task), gate);

        Func<Task> act = async () => await call(primitives);
        Exception rejection = (await act.Should().ThrowAsync<Exception>()).Which;
        gate.SetResult(0);
        await holder;

        return (rejection, primitives.Retry.GetMetrics(), primitives.Breaker.GetMetrics());
    }

    private sealed record Primitives(RetryPolicy Retry, Breaker Breaker, Semaphore Bulkhead);

    [Fact]
    public async Task Build_EveryKindAddedInReverse_NestsInResilience4jOrder()
    {
        using var pool = new Pool("p");
        var bulkhead = new Semaphore("b");
        var rateLimiter = new RequestRateLimiter("rl");
        var retry = new RetryPolicy("r");
        AsyncResilienceChain chain = Resilience.Decorators.Chain()
            .WithThreadPoolBulkhead(pool).WithBulkhead(bulkhead).WithRateLimiter(rateLimiter).WithRetry(retry)
            .Build();

        int result = await chain.ExecuteAsync(static (s, _) => new ValueTask<int>(s * 2), 21);

        result.Should().Be(42);
        chain.Layers.Should().Equal(retry, rateLimiter, bulkhead, pool);
    }

    [Fact]
    public void InOrder_SynchronousChain_NestsAsGiven()
    {
        var breaker = new Breaker("c");
        var rateLimiter = new RequestRateLimiter("rl");
        var retry = new RetryPolicy("r", new RetryOptions { MaxAttempts = 3, WaitDuration = TimeSpan.Zero });
        ResilienceChain chain = Resilience.Decorators.Chain()
            .WithRetry(retry).WithRateLimiter(rateLimiter).WithCircuitBreaker(breaker)
            .InOrder(breaker, rateLimiter, retry)
            .Build();
        int calls = 0;

        int result = chain.Execute(() => ++calls < 3 ? throw new InvalidOperationException() : calls);

        result.Should().Be(3);
        chain.Layers.Should().Equal(breaker, rateLimiter, retry);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(0);
    }
}
