using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.Decorators;

public class DecoratorsTests
{
    private static readonly InvalidOperationException Failure = new("boom");

    [Fact]
    public void Build_NothingAdded_RunsTheCallDirectly()
    {
        Decorators<int> decorators = Resilience.Decorators.For<int>().Build();

        decorators.Layers.Should().BeEmpty();
        decorators.Execute(static s => s + 1, 41).Should().Be(42);
    }

    [Fact]
    public void Build_AddedInAnyOrder_NestsFallbackOutsideTheBreaker()
    {
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithFallback<Exception>(static _ => -1)
            .WithCircuitBreaker(new Breaker("b"))
            .Build();

        var breaker = (Breaker)decorators.Layers.Should().ContainSingle().Which;
        breaker.TransitionToForcedOpenState();
        decorators.Execute(static () => 1).Should().Be(-1, "the fallback wraps the breaker and serves its rejection");
    }

    [Fact]
    public void Execute_BreakerOpen_FallbackServesCallNotPermitted()
    {
        var breaker = new Breaker("inventory");
        breaker.TransitionToForcedOpenState();
        bool ran = false;
        Decorators<string> decorators = Resilience.Decorators.For<string>()
            .WithCircuitBreaker(breaker)
            .WithFallback<CallNotPermittedException>(static ex => "cached:" + ex.CircuitBreakerName)
            .Build();

        string result = decorators.Execute(() => { ran = true; return "live"; });

        result.Should().Be("cached:inventory");
        ran.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_BreakerOpen_FallbackServesCallNotPermitted()
    {
        var breaker = new Breaker("inventory");
        breaker.TransitionToForcedOpenState();
        Decorators<string> decorators = Resilience.Decorators.For<string>()
            .WithCircuitBreaker(breaker)
            .WithFallback<CallNotPermittedException>(static _ => "cached")
            .Build();

        string result = await decorators.ExecuteAsync(static _ => new ValueTask<string>("live"));

        result.Should().Be("cached");
    }

    [Fact]
    public void Execute_FailureInsideBreaker_IsRecordedEvenWhenTheFallbackAnswers()
    {
        var breaker = new Breaker("b");
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(breaker)
            .WithFallback<InvalidOperationException>(static _ => -1)
            .Build();

        decorators.Execute(static () => throw Failure).Should().Be(-1);

        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public void Execute_ExceptionNoFallbackHandles_PropagatesTheSameInstance()
    {
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithFallback<TimeoutException>(static _ => -1)
            .Build();

        Action act = () => decorators.Execute(static () => throw Failure);

        act.Should().Throw<InvalidOperationException>().Which.Should().BeSameAs(Failure);
    }

    [Fact]
    public async Task ExecuteAsync_FaultedTaskNoFallbackHandles_PropagatesTheSameInstance()
    {
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithFallback<TimeoutException>(static _ => -1)
            .Build();

        Func<Task> act = async () => await decorators.ExecuteAsync(static async _ =>
        {
            await Task.Yield();
            throw Failure;
        });

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(Failure);
    }

    [Fact]
    public void Execute_SeveralFallbacks_FirstThatAcceptsWins()
    {
        Decorators<string> decorators = Resilience.Decorators.For<string>()
            .WithFallback(static ex => ex.Message == "other", static _ => "first")
            .WithFallback([typeof(ArgumentException), typeof(InvalidOperationException)], static _ => "second")
            .WithFallback<Exception>(static _ => "third")
            .Build();

        decorators.Execute(static () => throw Failure).Should().Be("second");
        decorators.Execute(static () => throw new InvalidOperationException("other")).Should().Be("first");
        decorators.Execute(static () => throw new FormatException()).Should().Be("third");
    }

    [Fact]
    public async Task ExecuteAsync_AsyncFallback_ReceivesTheExceptionAndToken()
    {
        using var cts = new CancellationTokenSource();
        CancellationToken seen = default;
        Decorators<string> decorators = Resilience.Decorators.For<string>()
            .WithFallbackAsync(static _ => true, async (ex, ct) =>
            {
                seen = ct;
                await Task.Yield();
                return ex.Message;
            })
            .Build();

        string result = await decorators.ExecuteAsync(static _ => ValueTask.FromException<string>(Failure), cts.Token);

        result.Should().Be("boom");
        seen.Should().Be(cts.Token);
    }

    [Fact]
    public void Execute_AsyncFallbackOnSyncPath_BlocksForItsResult()
    {
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithFallbackAsync(static _ => true, static async (_, _) =>
            {
                await Task.Yield();
                return 7;
            })
            .Build();

        decorators.Execute(static () => throw Failure).Should().Be(7);
    }

    [Fact]
    public async Task ExecuteAsync_CallerTokenAlreadyCancelled_ReturnsCancelledTaskAndRunsNothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var breaker = new Breaker("b");
        Decorators<int> decorators = Resilience.Decorators.For<int>().WithCircuitBreaker(breaker).WithFallback<Exception>(static _ => -1).Build();
        bool ran = false;

        ValueTask<int> pending = decorators.ExecuteAsync(_ => { ran = true; return new ValueTask<int>(1); }, cts.Token);

        pending.IsCanceled.Should().BeTrue();
        ran.Should().BeFalse();
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(0);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelled_FallbackDoesNotHandleTheCancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithFallback<Exception>(static _ => -1)
            .Build();

        Func<Task> act = async () => await decorators.ExecuteAsync(static ct => ValueTask.FromCanceled<int>(ct), cts.Token);

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.CancellationToken.Should().Be(cts.Token);
    }

    [Fact]
    public async Task ExecuteAsync_OtherTokenCancelled_FallbackHandlesIt()
    {
        using var other = new CancellationTokenSource();
        await other.CancelAsync();
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithFallback<OperationCanceledException>(static _ => -1)
            .Build();

        int result = await decorators.ExecuteAsync(static (token, _) => ValueTask.FromCanceled<int>(token), other.Token, CancellationToken.None);

        result.Should().Be(-1);
    }

    [Fact]
    public async Task ExecuteAsync_SynchronousThrow_ReportedThroughTheTask()
    {
        Decorators<int> decorators = Resilience.Decorators.For<int>().Build();

        ValueTask<int> pending = decorators.ExecuteAsync(static _ => throw Failure);

        pending.IsFaulted.Should().BeTrue();
        Func<Task> act = async () => await pending;
        await act.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task ExecuteAsync_TaskOverloads_RunThroughTheLayers()
    {
        var breaker = new Breaker("b");
        Decorators<int> decorators = Resilience.Decorators.For<int>().WithCircuitBreaker(breaker).Build();

        (await decorators.ExecuteAsync(static _ => Task.FromResult(1))).Should().Be(1);
        (await decorators.ExecuteAsync(static (s, _) => Task.FromResult(s), 2)).Should().Be(2);

        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(2);
    }

    [Fact]
    public async Task Decorate_ReturnsReusableFunctions()
    {
        var breaker = new Breaker("b");
        Decorators<int> decorators = Resilience.Decorators.For<int>().WithCircuitBreaker(breaker).Build();
        int calls = 0;

        Func<int> decorated = decorators.Decorate(() => ++calls);
        Func<CancellationToken, ValueTask<int>> decoratedAsync = decorators.DecorateAsync(_ => new ValueTask<int>(++calls));

        decorated().Should().Be(1);
        decorated().Should().Be(2);
        (await decoratedAsync(CancellationToken.None)).Should().Be(3);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(3);
    }

    [Fact]
    public void WithCircuitBreaker_Twice_Throws()
    {
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>().WithCircuitBreaker(new Breaker("a"));

        Action act = () => builder.WithCircuitBreaker(new Breaker("b"));

        act.Should().Throw<InvalidOperationException>().WithMessage("*CircuitBreaker*already*");
    }

    [Fact]
    public void With_SameInstanceTwice_Throws()
    {
        var breaker = new Breaker("a");
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>().WithCircuitBreaker(breaker);

        Action act = () => builder.With(breaker);

        act.Should().Throw<InvalidOperationException>().WithMessage("*CircuitBreaker layer was already added*");
    }

    [Fact]
    public void WithFallback_NonExceptionType_Throws()
    {
        Action act = () => Resilience.Decorators.For<int>().WithFallback([typeof(string)], static _ => 0);

        act.Should().Throw<ArgumentException>().WithMessage("*System.String*not an exception type*");
    }

    [Fact]
    public void InOrder_NamesLayerNotAdded_BuildThrows()
    {
        var breaker = new Breaker("b");
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(breaker)
            .InOrder(new Resilience.Retry("r"), breaker);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*Retry*not added*");
    }

    [Fact]
    public void InOrder_MissesAnAddedLayer_BuildThrows()
    {
        var breaker = new Breaker("b");
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(breaker)
            .WithRetry(new Resilience.Retry("r"))
            .InOrder(breaker);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*Retry layer exactly once*0 times*");
    }

    [Fact]
    public void FallbackInside_Breaker_FallbackResultIsRecordedAsSuccess()
    {
        var breaker = new Breaker("b");
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(breaker)
            .WithFallback<InvalidOperationException>(static _ => -1)
            .FallbackInside(breaker)
            .Build();

        decorators.Execute(static () => throw Failure).Should().Be(-1);

        decorators.Layers.Should().Equal(breaker);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1, "the breaker sees the fallback's answer");
    }

    [Fact]
    public async Task FallbackInside_BreakerAsync_FallbackResultIsRecordedAsSuccess()
    {
        var breaker = new Breaker("b");
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(breaker)
            .WithFallback<InvalidOperationException>(static _ => -1)
            .FallbackInside(breaker)
            .Build();

        (await decorators.ExecuteAsync(static async _ =>
        {
            await Task.Yield();
            throw Failure;
        })).Should().Be(-1);

        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(0);
    }

    [Fact]
    public void FallbackInside_LayerNotAdded_BuildThrows()
    {
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(new Breaker("a"))
            .WithFallback<Exception>(static _ => 0)
            .FallbackInside(new Breaker("other"));

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*FallbackInside*CircuitBreaker*not added*");
    }

    [Fact]
    public void FallbackInside_NoFallbackAdded_BuildThrows()
    {
        var breaker = new Breaker("a");
        DecoratorsBuilder<int> builder = Resilience.Decorators.For<int>().WithCircuitBreaker(breaker).FallbackInside(breaker);

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*none was added*");
    }

    [Fact]
    public void Execute_StatePassingSuccessPath_AllocatesNothing()
    {
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(new Breaker("b"))
            .WithFallback<Exception>(static _ => -1)
            .Build();
        Run(decorators, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int sum = Run(decorators, 1_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        sum.Should().Be(1_000);
        allocated.Should().Be(0);

        static int Run(Decorators<int> decorators, int count)
        {
            int sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += decorators.Execute(static s => s, 1);
                ValueTask<int> pending = decorators.ExecuteAsync(static (s, _) => new ValueTask<int>(s - 1), 1);
                sum += pending.IsCompletedSuccessfully ? pending.Result : -1_000_000;
            }

            return sum;
        }
    }
}
