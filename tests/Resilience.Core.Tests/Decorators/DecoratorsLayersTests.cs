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
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithThreadPoolBulkhead(pool)
            .WithBulkhead(new Semaphore("b"))
            .WithTimeLimiter(new Timer("t"))
            .WithRateLimiter(new RequestRateLimiter("r"))
            .WithCircuitBreaker(new Breaker("c"))
            .WithRetry(new RetryPolicy("r"))
            .WithFallback<Exception>(static _ => 0)
            .Build();

        decorators.Layers.Should().Equal(
            DecoratorKind.Fallback, DecoratorKind.Retry, DecoratorKind.CircuitBreaker, DecoratorKind.RateLimiter,
            DecoratorKind.TimeLimiter, DecoratorKind.Bulkhead, DecoratorKind.ThreadPoolBulkhead);
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
            .InOrder(DecoratorKind.CircuitBreaker, DecoratorKind.Retry)
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
        Decorators<string> decorators = Resilience.Decorators.For<string>()
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
        Decorators<string?> decorators = Resilience.Decorators.For<string?>().WithCircuitBreaker(breaker).WithThreadPoolBulkhead(pool).Build();

        string? thread = await decorators.ExecuteAsync(static _ => new ValueTask<string?>(Thread.CurrentThread.Name)).AsTask().WaitAsync(Safety);

        thread.Should().StartWith("bulkhead-legacy-");
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_TimeLimiterStacked_ThrowsAndRunsNothing()
    {
        Decorators<int> decorators = Resilience.Decorators.For<int>().WithTimeLimiter(new Timer("t")).Build();
        bool ran = false;

        Action act = () => decorators.Execute(() => { ran = true; return 1; });

        act.Should().Throw<InvalidOperationException>().WithMessage("*ExecuteAsync*");
        ran.Should().BeFalse();
    }

    [Fact]
    public void InOrder_ThreadPoolBulkheadNotInnermost_BuildThrows()
    {
        using var pool = new Pool("p");
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>()
            .WithThreadPoolBulkhead(pool).WithCircuitBreaker(new Breaker("c"))
            .InOrder(DecoratorKind.ThreadPoolBulkhead, DecoratorKind.CircuitBreaker);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*innermost*");
    }

    [Fact]
    public void InOrder_RepeatsAKind_BuildThrows()
    {
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(new Breaker("c"))
            .InOrder(DecoratorKind.CircuitBreaker, DecoratorKind.CircuitBreaker);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*CircuitBreaker exactly once*2 times*");
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
        Decorators<int> async = Resilience.Decorators.For<int>()
            .WithRetry(retry).WithCircuitBreaker(breaker).WithRateLimiter(limiter).WithTimeLimiter(new Timer("t")).WithBulkhead(bulkhead)
            .Build();
        Run(sync, async, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int sum = Run(sync, async, 1_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        sum.Should().Be(2_000);
        allocated.Should().Be(0);

        static int Run(Decorators<int> sync, Decorators<int> async, int count)
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
}
