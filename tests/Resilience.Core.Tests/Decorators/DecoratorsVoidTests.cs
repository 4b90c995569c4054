using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;
using RetryPolicy = Resilience.Retry;
using Semaphore = Resilience.Bulkhead;
using Timer = Resilience.TimeLimiter;

namespace Resilience.Tests.Decorators;

/// <summary>The composition for calls that return nothing: <c>Decorators.For()</c>.</summary>
public class DecoratorsVoidTests
{
    private static readonly InvalidOperationException Failure = new("boom");

    [Fact]
    public void Execute_Action_RunsThroughTheLayers()
    {
        var breaker = new Breaker("c");
        Resilience.Decorators decorators = Resilience.Decorators.For().WithCircuitBreaker(breaker).Build();
        int calls = 0;

        decorators.Execute(() => calls++);
        decorators.Execute(static box => box[0]++, new int[1]);

        calls.Should().Be(1);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(2);
    }

    [Fact]
    public void Execute_FallbackHandles_CallCompletesAndFailureIsRecorded()
    {
        var breaker = new Breaker("c");
        Exception? handled = null;
        Resilience.Decorators decorators = Resilience.Decorators.For()
            .WithCircuitBreaker(breaker)
            .WithFallback<InvalidOperationException>(ex => handled = ex)
            .Build();

        decorators.Execute(static () => throw Failure);

        handled.Should().BeSameAs(Failure);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_NoFallbackHandles_PropagatesTheSameInstance()
    {
        Resilience.Decorators decorators = Resilience.Decorators.For()
            .WithFallback([typeof(TimeoutException)], static _ => { })
            .WithFallback(static ex => ex is FormatException, static _ => { })
            .Build();

        Action act = () => decorators.Execute(static () => throw Failure);

        act.Should().Throw<InvalidOperationException>().Which.Should().BeSameAs(Failure);
    }

    [Fact]
    public async Task ExecuteAsync_FaultedTask_AsyncFallbackRunsWithTheToken()
    {
        using var cts = new CancellationTokenSource();
        CancellationToken seen = default;
        Resilience.Decorators decorators = Resilience.Decorators.For()
            .WithFallbackAsync(static ex => ex == Failure, async (_, ct) =>
            {
                await Task.Yield();
                seen = ct;
            })
            .Build();

        await decorators.ExecuteAsync(static async _ =>
        {
            await Task.Yield();
            throw Failure;
        }, cts.Token);

        seen.Should().Be(cts.Token);
    }

    [Fact]
    public async Task ExecuteAsync_StateAndTaskOverloads_RunThroughTheLayers()
    {
        var breaker = new Breaker("c");
        Resilience.Decorators decorators = Resilience.Decorators.For().WithCircuitBreaker(breaker).Build();
        var seen = new List<int>();

        await decorators.ExecuteAsync(static (list, _) => { list.Add(1); return ValueTask.CompletedTask; }, seen);
        await decorators.ExecuteAsync(async _ => { await Task.Yield(); seen.Add(2); });
        await decorators.ExecuteAsync(_ => { seen.Add(3); return Task.CompletedTask; });

        seen.Should().Equal(1, 2, 3);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(3);
    }

    [Fact]
    public async Task ExecuteAsync_TimeLimiterTimesOut_FallbackHandlesTheTimeout()
    {
        var time = new FakeTimeProvider();
        var limiter = new Timer("t", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromSeconds(1) }, time);
        bool fellBack = false;
        AsyncDecorators decorators = Resilience.Decorators.For()
            .WithTimeLimiter(limiter)
            .WithFallback<TimeLimiterTimeoutException>(_ => fellBack = true)
            .Build();
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask pending = decorators.ExecuteAsync(_ => new ValueTask(never.Task));
        time.Advance(TimeSpan.FromSeconds(1));
        await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        fellBack.Should().BeTrue();
        decorators.Should().NotBeAssignableTo<Resilience.Decorators>("a synchronous call cannot be written against it");
    }

    [Fact]
    public async Task ExecuteAsync_CallerTokenAlreadyCancelled_ReturnsCancelledTaskAndRunsNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        Resilience.Decorators decorators = Resilience.Decorators.For().WithFallback<Exception>(static _ => { }).Build();
        bool ran = false;

        ValueTask pending = decorators.ExecuteAsync(_ => { ran = true; return ValueTask.CompletedTask; }, cts.Token);

        pending.IsCanceled.Should().BeTrue();
        ran.Should().BeFalse();
    }

    [Fact]
    public void FallbackInside_Breaker_FallbackAnswerIsRecordedAsSuccess()
    {
        var breaker = new Breaker("c");
        Resilience.Decorators decorators = Resilience.Decorators.For()
            .WithCircuitBreaker(breaker)
            .WithFallback(static _ => true, static _ => { })
            .FallbackInside(breaker)
            .Build();

        decorators.Execute(static () => throw Failure);

        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public void ExecuteBothPaths_StatePassingWithFallback_AllocatesNothingOnSuccess()
    {
        Resilience.Decorators decorators = Resilience.Decorators.For()
            .WithCircuitBreaker(new Breaker("c"))
            .WithFallback<Exception>(static _ => { })
            .Build();
        var box = new int[1];
        Run(decorators, box, 100);
        box[0] = 0;

        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(decorators, box, 1_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        box[0].Should().Be(2_000);
        allocated.Should().Be(0);

        static void Run(Resilience.Decorators decorators, int[] box, int count)
        {
            for (int i = 0; i < count; i++)
            {
                decorators.Execute(static b => b[0]++, box);
                ValueTask pending = decorators.ExecuteAsync(static (b, _) => { b[0]++; return ValueTask.CompletedTask; }, box);
                box[0] += pending.IsCompletedSuccessfully ? 0 : -1_000_000;
            }
        }
    }

    [Fact]
    public void InOrder_EverySynchronousKindAndCustomLayer_NestAsGivenAndRun()
    {
        var log = new List<string>();
        var custom = new RecordingLayer("custom", log);
        var breaker = new Breaker("c");
        var retry = new RetryPolicy("r", new RetryOptions { MaxAttempts = 2, WaitDuration = TimeSpan.Zero });
        var rateLimiter = new RequestRateLimiter("rl");
        var bulkhead = new Semaphore("b");
        Resilience.Decorators decorators = Resilience.Decorators.For()
            .WithRetry(retry).WithRateLimiter(rateLimiter).WithBulkhead(bulkhead).With(custom).WithCircuitBreaker(breaker)
            .InOrder(breaker, retry, custom, rateLimiter, bulkhead)
            .Build();
        int calls = 0;

        decorators.Execute(() =>
        {
            if (++calls == 1)
            {
                throw Failure;
            }
        });

        decorators.Layers.Should().Equal(breaker, retry, custom, rateLimiter, bulkhead);
        calls.Should().Be(2);
        log.Should().Equal("custom>", "<custom", "custom>", "<custom");
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1, "the breaker outside the retry records one outcome per call");
        bulkhead.GetMetrics().AvailableConcurrentCalls.Should().Be(new BulkheadOptions().MaxConcurrentCalls);
    }

    [Fact]
    public void WithFallback_NoExceptionTypes_Throws()
    {
        Action act = () => Resilience.Decorators.For().WithFallback([], static _ => { });

        act.Should().Throw<ArgumentException>().WithParameterName("exceptionTypes");
    }
}
