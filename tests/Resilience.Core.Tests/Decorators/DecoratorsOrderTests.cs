using Breaker = Resilience.CircuitBreaker;
using Pool = Resilience.ThreadPoolBulkhead;
using RetryPolicy = Resilience.Retry;

namespace Resilience.Tests.Decorators;

/// <summary>Layers of the user's own through the open seam, the default nesting, and explicit orders.</summary>
public class DecoratorsOrderTests
{
    private readonly List<string> _log = [];

    [Fact]
    public void With_CustomLayers_NestInsideFallbackAndOutsideBuiltInsInTheOrderAdded()
    {
        var first = new RecordingLayer("first", _log);
        var second = new RecordingLayer("second", _log);
        var retry = new RetryPolicy("r");
        var breaker = new Breaker("c");
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithCircuitBreaker(breaker).With(first).WithRetry(retry).With(second)
            .WithFallback<Exception>(static _ => -1)
            .Build();

        int result = decorators.Execute(() =>
        {
            _log.Add("call");
            return 1;
        });

        result.Should().Be(1);
        decorators.Layers.Should().Equal(first, second, retry, breaker);
        _log.Should().Equal("first>", "second>", "call", "<second", "<first");
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_CustomLayers_RunInTheSameOrder()
    {
        var first = new RecordingLayer("first", _log);
        var second = new RecordingLayer("second", _log);
        Decorators<int> decorators = Resilience.Decorators.For<int>().With(first).With(second).Build();

        int result = await decorators.ExecuteAsync(async _ =>
        {
            await Task.Yield();
            _log.Add("call");
            return 2;
        });

        result.Should().Be(2);
        _log.Should().Equal("first>", "second>", "call", "<second", "<first");
    }

    [Fact]
    public async Task With_AsyncOnlyCustomLayer_BuildsAsynchronousDecorators()
    {
        var gate = new AsyncOnlyLayer("gate", _log);
        var inner = new RecordingLayer("inner", _log);

        AsyncDecoratorsBuilder<int> builder = Resilience.Decorators.For<int>().With(gate).With(inner);
        AsyncDecorators<int> decorators = builder.Build();

        decorators.Should().NotBeAssignableTo<Decorators<int>>();
        (await decorators.ExecuteAsync(static _ => new ValueTask<int>(3))).Should().Be(3);
        _log.Should().Equal("gate>", "inner>", "<inner", "<gate");
    }

    [Fact]
    public void With_SynchronousLayerThroughAsyncType_ProductStillRunsSynchronousCalls()
    {
        IAsyncResilienceLayer layer = new RecordingLayer("layer", _log);

        AsyncDecorators<int> decorators = Resilience.Decorators.For<int>().With(layer).Build();

        decorators.Should().BeOfType<Decorators<int>>().Which.Execute(static () => 4).Should().Be(4);
    }

    [Fact]
    public async Task ExecuteAsync_CustomLayerRefuses_FallbackServesTheRefusal()
    {
        var refusal = new InvalidOperationException("refused");
        var gate = new AsyncOnlyLayer("gate", _log) { Refusal = refusal };
        AsyncDecorators<string> decorators = Resilience.Decorators.For<string>()
            .With(gate)
            .WithFallback<InvalidOperationException>(static ex => "fallback:" + ex.Message)
            .Build();

        string result = await decorators.ExecuteAsync(static _ => new ValueTask<string>("live"));

        result.Should().Be("fallback:refused");
        _log.Should().Equal("gate!");
    }

    [Fact]
    public void InOrder_CustomAndBuiltInLayers_NestAsGiven()
    {
        var outer = new RecordingLayer("outer", _log);
        var breaker = new Breaker("c");
        var retry = new RetryPolicy("r", new RetryOptions { MaxAttempts = 3, WaitDuration = TimeSpan.Zero });
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithRetry(retry).With(outer).WithCircuitBreaker(breaker)
            .InOrder(breaker, outer, retry)
            .Build();
        int calls = 0;

        int result = decorators.Execute(() => ++calls < 3 ? throw new InvalidOperationException() : calls);

        result.Should().Be(3);
        decorators.Layers.Should().Equal(breaker, outer, retry);
        _log.Should().Equal("outer>", "<outer");
        breaker.GetMetrics().NumberOfBufferedCalls.Should().Be(1, "the breaker is outside the retry: one outcome per call");
    }

    [Fact]
    public void FallbackInside_CustomLayer_LayerSeesTheFallbackResult()
    {
        var outer = new RecordingLayer("outer", _log);
        var inner = new RecordingLayer("inner", _log);
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .With(outer).With(inner)
            .WithFallback<InvalidOperationException>(static _ => -1)
            .FallbackInside(outer)
            .Build();

        decorators.Execute(static () => throw new InvalidOperationException()).Should().Be(-1);

        outer.Results.Should().Equal(-1);
        inner.Results.Should().BeEmpty();
        _log.Should().Equal("outer>", "inner>", "<inner", "<outer");
    }

    [Fact]
    public void Build_ThreadPoolBulkheadAddedWithWith_MustStillBeInnermost()
    {
        using var pool = new Pool("p");
        AsyncDecoratorsBuilder<int> builder = Resilience.Decorators.For<int>().With(pool).WithCircuitBreaker(new Breaker("c"));

        Action act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*innermost*");
    }

    [Fact]
    public void InOrder_ContainsNull_Throws()
    {
        Action act = () => Resilience.Decorators.For<int>().InOrder(new Breaker("c"), null!);

        act.Should().Throw<ArgumentException>().WithMessage("*null*");
    }

    [Fact]
    public void ExecuteBothPaths_ExplicitOrderWithFallbackInside_AllocatesNothingOnSuccess()
    {
        var breaker = new Breaker("c");
        var retry = new RetryPolicy("r");
        Decorators<int> decorators = Resilience.Decorators.For<int>()
            .WithRetry(retry).WithCircuitBreaker(breaker)
            .WithFallback<Exception>(static _ => -1)
            .InOrder(breaker, retry)
            .FallbackInside(breaker)
            .Build();
        Run(decorators, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int sum = Run(decorators, 1_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        sum.Should().Be(2_000);
        allocated.Should().Be(0);

        static int Run(Decorators<int> decorators, int count)
        {
            int sum = 0;
            for (int i = 0; i < count; i++)
            {
                sum += decorators.Execute(static s => s, 1);
                ValueTask<int> pending = decorators.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 1);
                sum += pending.IsCompletedSuccessfully ? pending.Result : -1_000_000;
            }

            return sum;
        }
    }

    [Fact]
    public async Task FallbackInside_AsyncOnlyComposition_LayerSeesTheFallbackResult()
    {
        var outer = new AsyncOnlyLayer("outer", _log);
        var inner = new RecordingLayer("inner", _log);
        AsyncDecorators<int> decorators = Resilience.Decorators.For<int>()
            .With(outer).With(inner)
            .WithFallback([typeof(FormatException), typeof(InvalidOperationException)], static _ => -1)
            .FallbackInside(outer)
            .Build();

        int result = await decorators.ExecuteAsync(static ValueTask<int> (CancellationToken _) => throw new InvalidOperationException());
        Func<Task> unhandled = async () => await decorators.ExecuteAsync(static ValueTask<int> (CancellationToken _) => throw new TimeoutException());

        result.Should().Be(-1);
        await unhandled.Should().ThrowAsync<TimeoutException>();
        inner.Results.Should().BeEmpty();
        _log.Should().Equal("outer>", "inner>", "<inner", "<outer", "outer>", "inner>", "<inner", "<outer");
    }

    [Fact]
    public async Task WithFallbackAsync_AsyncOnlyComposition_FallbackAnswersWithTheToken()
    {
        using var cts = new CancellationTokenSource();
        AsyncDecorators<string> decorators = Resilience.Decorators.For<string>()
            .With(new AsyncOnlyLayer("gate", _log))
            .WithFallbackAsync(static ex => ex is InvalidOperationException, static async (ex, ct) =>
            {
                await Task.Yield();
                return ex.Message + (ct.CanBeCanceled ? ":token" : ":none");
            })
            .Build();

        string result = await decorators.ExecuteAsync(static ValueTask<string> (CancellationToken _) => throw new InvalidOperationException("refused"), cts.Token);

        result.Should().Be("refused:token");
    }

    [Fact]
    public void ExecuteAsync_LayerThrowsOnCallersThreadAndNoFallbackHandles_ReturnsFaultedTask()
    {
        var refusal = new InvalidOperationException("refused");
        AsyncDecorators<int> decorators = Resilience.Decorators.For<int>()
            .With(new ThrowingLayer(refusal))
            .WithFallback<TimeoutException>(static _ => -1)
            .Build();

        ValueTask<int> pending = decorators.ExecuteAsync(static _ => new ValueTask<int>(1));

        pending.IsFaulted.Should().BeTrue();
        pending.AsTask().Exception!.InnerException.Should().BeSameAs(refusal);
    }

    [Fact]
    public async Task ExecuteAsync_FallbackItselfThrows_ItsExceptionComesThroughTheTask()
    {
        var own = new FormatException("fallback failed");
        AsyncDecorators<int> decorators = Resilience.Decorators.For<int>()
            .With(new ThrowingLayer(new InvalidOperationException("refused")))
            .WithFallback<InvalidOperationException>(_ => throw own)
            .Build();

        ValueTask<int> pending = decorators.ExecuteAsync(static _ => new ValueTask<int>(1));

        pending.IsFaulted.Should().BeTrue("the fallback's exception is handed back through the task");
        (await pending.AsTask().Invoking(t => t).Should().ThrowAsync<FormatException>()).Which.Should().BeSameAs(own);
    }
}
