using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;
using Pool = Resilience.ThreadPoolBulkhead;
using RetryPolicy = Resilience.Retry;
using Semaphore = Resilience.Bulkhead;
using Timer = Resilience.TimeLimiter;

namespace Resilience.Tests.Decorators;

public class DecoratorsLayersTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public void Build_EveryKindAddedInReverse_NestsInResilience4jOrder()
    {
        using var pool = new Pool("p");
        var bulkhead = new Semaphore("b");
        var timeLimiter = new Timer("t");
        var rateLimiter = new RequestRateLimiter("r");
        var breaker = new Breaker("c");
        var retry = new RetryPolicy("r");
        AsyncDecorators<int> decorators = Resilience.Decorators.For<int>()
            .WithThreadPoolBulkhead(pool)
            .WithBulkhead(bulkhead)
            .WithTimeLimiter(timeLimiter)
            .WithRateLimiter(rateLimiter)
            .WithCircuitBreaker(breaker)
            .WithRetry(retry)
            .WithFallback<Exception>(static _ => 0)
            .Build();

        decorators.Layers.Should().Equal(retry, breaker, rateLimiter, timeLimiter, bulkhead, pool);
    }

    [Fact]
    public void Execute_RetryAroundBreaker_EveryAttemptIsRecorded()
    {
        var breaker = new Breaker("c");
        var retry = new RetryPolicy("r", new RetryOptions { MaxAttempts = 3, WaitDuration = TimeSpan.Zero });
        Decorators<int> decorators = Resilience.Decorators.For<int>().WithCircuitBreaker(breaker).WithRetry(retry).Build();
        int calls = 0;

        int result = decorators.Execute(() => ++calls < 3 ? throw new InvalidOperationException() : calls);

        result.Should().Be(3);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(2);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        retry.GetMetrics().NumberOfSuccessfulCallsWithRetryAttempt.Should().Be(1);
    }

    [Fact]
    public void Execute_BreakerAroundRetryByExplicitOrder_OneOutcomePerCall()
    {
        var breaker = new Breaker("c");
        var retry = new RetryPolicy("r", new RetryOptions { MaxAttempts = 3, WaitDuration = TimeSpan.Zero });
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(breaker).WithRetry(retry)
            .InOrder(breaker, retry)
            .Build();
        int calls = 0;

        decorators.Execute(() => ++calls < 3 ? throw new InvalidOperationException() : calls).Should().Be(3);

        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(0);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_TimeLimiterTimesOut_BreakerRecordsItAndFallbackAnswers()
    {
        var time = new FakeTimeProvider();
        var breaker = new Breaker("c");
        var limiter = new Timer("t", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(1) }, time);
        AsyncDecorators<string> decorators = Resilience.Decorators.For<string>()
            .WithCircuitBreaker(breaker).WithTimeLimiter(limiter)
            .WithFallback<TimeLimiterTimeoutException>(static _ => "fallback")
            .Build();
        var never = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask<string> pending = decorators.ExecuteAsync(_ => new ValueTask<string>(never.Task));
        time.Advance(TimeSpan.FromSeconds(1));

        (await pending.AsTask().WaitAsync(Safety)).Should().Be("fallback");
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_BulkheadFull_FallbackServesBulkheadFullException()
    {
        var bulkhead = new Semaphore("b", new BulkheadOptions { MaxConcurrentCalls = 1 });
        Decorators<string> decorators = Resilience.Decorators.For<string>()
            .WithBulkhead(bulkhead)
            .WithFallback<BulkheadFullException>(static ex => "full:" + ex.BulkheadName)
            .Build();
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask<string> holder = decorators.ExecuteAsync(_ => new ValueTask<string>(gate.Task));
        string refused = await decorators.ExecuteAsync(static _ => new ValueTask<string>("live"));
        gate.SetResult("held");

        refused.Should().Be("full:b");
        (await holder).Should().Be("held");
        bulkhead.GetMetrics().AvailableConcurrentCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_RateLimiterRefuses_FallbackServesRequestNotPermitted()
    {
        var time = new FakeTimeProvider();
        var limiter = new RequestRateLimiter("r", new RequestRateLimiterOptions
        {
            LimitForPeriod = 1,
            LimitRefreshPeriod = TimeSpan.FromSeconds(10),
            TimeoutDuration = TimeSpan.Zero,
        }, time);
        Decorators<string> decorators = Resilience.Decorators.For<string>()
            .WithRateLimiter(limiter)
            .WithFallback<RequestNotPermittedException>(static _ => "limited")
            .Build();

        decorators.Execute(static () => "first").Should().Be("first");
        decorators.Execute(static () => "second").Should().Be("limited");
    }

    [Fact]
    public async Task ExecuteAsync_ThreadPoolBulkhead_RunsTheCallOnAWorkerThread()
    {
        using var pool = new Pool("legacy", new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 1, MaxThreadPoolSize = 1, QueueCapacity = 1 });
        var breaker = new Breaker("c");
        AsyncDecorators<string?> decorators = Resilience.Decorators.For<string?>().WithCircuitBreaker(breaker).WithThreadPoolBulkhead(pool).Build();

        string? thread = await decorators.ExecuteAsync(static _ => new ValueTask<string?>(Thread.CurrentThread.Name)).AsTask().WaitAsync(Safety);

        thread.Should().StartWith("bulkhead-legacy-");
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public void Build_TimeLimiterStacked_ProductHasNoSynchronousExecute()
    {
        AsyncDecoratorsBuilder<int> builder = Resilience.Decorators.For<int>().WithCircuitBreaker(new Breaker("c")).WithTimeLimiter(new Timer("t"));

        AsyncDecorators<int> decorators = builder.Build();

        decorators.Should().NotBeAssignableTo<Decorators<int>>();
        typeof(AsyncDecorators<int>).GetMethod("Execute").Should().BeNull("a synchronous call cannot be written against it");
        typeof(AsyncDecoratorsBuilder<int>).GetMethods().Where(m => m.Name == "Build").Select(m => m.ReturnType)
            .Should().Equal(typeof(AsyncDecorators<int>));
    }

    [Fact]
    public void Build_ThreadPoolBulkheadStacked_ProductHasNoSynchronousExecute()
    {
        using var pool = new Pool("p");

        AsyncDecorators<int> decorators = Resilience.Decorators.For<int>().WithRetry(new RetryPolicy("r")).WithThreadPoolBulkhead(pool).Build();

        decorators.Should().NotBeAssignableTo<Decorators<int>>();
    }

    [Fact]
    public void WithTimeLimiter_OnSynchronousBuilder_LeavesItSynchronous()
    {
        var breaker = new Breaker("c");
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>().WithCircuitBreaker(breaker);

        AsyncDecorators<int> async = builder.WithTimeLimiter(new Timer("t")).Build();
        Decorators<int> sync = builder.Build();

        async.Layers.Should().HaveCount(2);
        sync.Layers.Should().Equal(breaker);
        sync.Execute(static () => 7).Should().Be(7);
    }

    [Fact]
    public void InOrder_ThreadPoolBulkheadNotInnermost_BuildThrows()
    {
        using var pool = new Pool("p");
        var breaker = new Breaker("c");
        AsyncDecoratorsBuilder<int> builder = Resilience.Decorators.For<int>()
            .WithThreadPoolBulkhead(pool).WithCircuitBreaker(breaker)
            .InOrder(pool, breaker);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*innermost*");
    }

    [Fact]
    public void InOrder_RepeatsALayer_BuildThrows()
    {
        var breaker = new Breaker("c");
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(breaker)
            .InOrder(breaker, breaker);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*CircuitBreaker layer exactly once*2 times*");
    }

    [Fact]
    public void ExecuteBothPaths_EverySyncCapableLayerAndTimeLimiter_AllocateNothingOnSuccess()
    {
        var retry = new RetryPolicy("r");
        var breaker = new Breaker("c");
        var limiter = new RequestRateLimiter("r", new RequestRateLimiterOptions { LimitForPeriod = int.MaxValue / 2, LimitRefreshPeriod = TimeSpan.FromSeconds(1) });
        var bulkhead = new Semaphore("b");
        Decorators<int> sync = Resilience.Decorators.For<int>()
            .WithRetry(retry).WithCircuitBreaker(breaker).WithRateLimiter(limiter).WithBulkhead(bulkhead)
            .WithFallback<Exception>(static _ => -1)
            .Build();
        AsyncDecorators<int> async = Resilience.Decorators.For<int>()
            .WithRetry(retry).WithCircuitBreaker(breaker).WithRateLimiter(limiter).WithTimeLimiter(new Timer("t")).WithBulkhead(bulkhead)
            .Build();
        Run(sync, async, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int sum = Run(sync, async, 1_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        sum.Should().Be(2_000);
        allocated.Should().Be(0);

        static int Run(Decorators<int> sync, AsyncDecorators<int> async, int count)
        {
            int sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += sync.Execute(static s => s, 1);
                ValueTask<int> pending = async.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 1);
                sum += pending.IsCompletedSuccessfully ? pending.Result : -1_000_000;
            }

            return sum;
        }
    }

    [Fact]
    public async Task ExecuteAsync_OwnLayerThrowsSynchronously_ReportedThroughTheTaskWhereverItSits()
    {
        var breaker = new Breaker("c", new CircuitBreakerOptions { MinimumNumberOfCalls = 10, SlidingWindowSize = 10 });
        var throwing = new ThrowingLayer();
        AsyncResilienceChain outermost = Resilience.Decorators.Chain().With(throwing).WithCircuitBreaker(breaker).Build();
        AsyncResilienceChain inside = Resilience.Decorators.Chain().With(throwing).WithCircuitBreaker(breaker).InOrder(breaker, throwing).Build();

        ValueTask<int> outer = outermost.ExecuteAsync(static (s, _) => ValueTask.FromResult(s), 1);
        outer.IsFaulted.Should().BeTrue("a layer of the user's own at the top is guarded by the composition");
        await FluentActions.Awaiting(() => outer.AsTask()).Should().ThrowAsync<InvalidTimeZoneException>();
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0, "the throwing layer sits outside the breaker");

        ValueTask<int> inner = inside.ExecuteAsync(static (s, _) => ValueTask.FromResult(s), 1);
        inner.IsFaulted.Should().BeTrue("the breaker above it hands the throw back through its task");
        await FluentActions.Awaiting(() => inner.AsTask()).Should().ThrowAsync<InvalidTimeZoneException>();
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    /// <summary>A layer of the user's own that throws before it runs anything.</summary>
    private sealed class ThrowingLayer : IAsyncResilienceLayer
    {
        public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> callback, TState state, CancellationToken cancellationToken = default) =>
            throw new InvalidTimeZoneException("thrown");
    }
}
