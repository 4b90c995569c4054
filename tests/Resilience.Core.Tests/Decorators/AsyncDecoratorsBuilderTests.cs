using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;
using Pool = Resilience.ThreadPoolBulkhead;
using RetryPolicy = Resilience.Retry;
using Semaphore = Resilience.Bulkhead;
using Timer = Resilience.TimeLimiter;

namespace Resilience.Tests.Decorators;

/// <summary>The builder of asynchronous compositions for calls that return nothing, reached by adding a layer that runs asynchronous calls only.</summary>
public class AsyncDecoratorsBuilderTests
{
    private static readonly InvalidOperationException Failure = new("boom");

    private readonly List<string> _log = [];

    [Fact]
    public async Task Build_EveryKindAddedInReverse_NestsInResilience4jOrderAndRuns()
    {
        using var pool = new Pool("p");
        var bulkhead = new Semaphore("b");
        var timeLimiter = new Timer("t", timeProvider: new FakeTimeProvider()); // never times out: the call hops threads
        var rateLimiter = new RequestRateLimiter("rl");
        var breaker = new Breaker("c");
        var retry = new RetryPolicy("r");
        var custom = new RecordingLayer("custom", _log);
        AsyncDecorators decorators = Resilience.Decorators.For()
            .WithThreadPoolBulkhead(pool)
            .WithBulkhead(bulkhead)
            .WithTimeLimiter(timeLimiter)
            .WithRateLimiter(rateLimiter)
            .WithCircuitBreaker(breaker)
            .WithRetry(retry)
            .With(custom)
            .Build();
        int calls = 0;

        await decorators.ExecuteAsync(_ =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.CompletedTask;
        });

        decorators.Layers.Should().Equal(custom, retry, breaker, rateLimiter, timeLimiter, bulkhead, pool);
        calls.Should().Be(1);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        _log.Should().Equal("custom>", "<custom");
    }

    [Fact]
    public async Task InOrder_BreakerOutsideRetryWithFallbackInside_BreakerSeesOneHandledCall()
    {
        var breaker = new Breaker("c");
        var retry = new RetryPolicy("r", new RetryOptions { MaxAttempts = 3, WaitDuration = TimeSpan.Zero });
        var timeLimiter = new Timer("t");
        Exception? handled = null;
        AsyncDecorators decorators = Resilience.Decorators.For()
            .WithTimeLimiter(timeLimiter)
            .WithRetry(retry)
            .WithCircuitBreaker(breaker)
            .WithFallback(static ex => ex is InvalidOperationException, ex => handled = ex)
            .InOrder(breaker, retry, timeLimiter)
            .FallbackInside(breaker)
            .Build();
        int calls = 0;

        await decorators.ExecuteAsync(ValueTask (CancellationToken _) =>
        {
            calls++;
            throw Failure;
        });

        decorators.Layers.Should().Equal(breaker, retry, timeLimiter);
        (calls, handled).Should().Be((3, Failure));
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1, "the breaker is outside the fallback, which answered the call");
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(0);
    }

    [Fact]
    public async Task WithFallback_ExceptionTypes_HandlesOnlyThoseTypes()
    {
        Exception? handled = null;
        AsyncDecorators decorators = Resilience.Decorators.For()
            .WithTimeLimiter(new Timer("t"))
            .WithFallback([typeof(FormatException), typeof(InvalidOperationException)], ex => handled = ex)
            .Build();

        await decorators.ExecuteAsync(static ValueTask (CancellationToken _) => throw Failure);
        Func<Task> unhandled = async () => await decorators.ExecuteAsync(static ValueTask (CancellationToken _) => throw new TimeoutException());

        handled.Should().BeSameAs(Failure);
        await unhandled.Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public async Task WithFallbackAsync_FaultedCall_FallbackRunsWithTheToken()
    {
        using var cts = new CancellationTokenSource();
        CancellationToken seen = default;
        AsyncDecorators decorators = Resilience.Decorators.For()
            .WithTimeLimiter(new Timer("t", timeProvider: new FakeTimeProvider())) // never times out: the call yields
            .WithFallbackAsync(static ex => ex == Failure, async (_, ct) =>
            {
                await Task.Yield();
                seen = ct;
            })
            .Build();

        await decorators.ExecuteAsync(static async ValueTask (CancellationToken _) =>
        {
            await Task.Yield();
            throw Failure;
        }, cts.Token);

        seen.Should().Be(cts.Token);
    }

    [Fact]
    public void ExecuteAsync_LayerThrowsOnCallersThreadAndNoFallbackHandles_ReturnsFaultedTask()
    {
        AsyncDecorators decorators = Resilience.Decorators.For()
            .With(new ThrowingLayer(Failure))
            .WithFallback<TimeoutException>(static _ => { })
            .Build();

        ValueTask pending = decorators.ExecuteAsync(static _ => ValueTask.CompletedTask);

        pending.IsFaulted.Should().BeTrue();
        pending.AsTask().Exception!.InnerException.Should().BeSameAs(Failure);
    }

    [Fact]
    public async Task ExecuteAsync_LayerThrowsOnCallersThreadAndFallbackHandles_FallbackAnswers()
    {
        Exception? handled = null;
        AsyncDecorators decorators = Resilience.Decorators.For()
            .With(new ThrowingLayer(Failure))
            .WithFallback<InvalidOperationException>(ex => handled = ex)
            .Build();

        await decorators.ExecuteAsync(static _ => ValueTask.CompletedTask);

        handled.Should().BeSameAs(Failure);
    }
}
