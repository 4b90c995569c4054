using Microsoft.Extensions.Time.Testing;
using Resilience.Internal;
using Breaker = Resilience.CircuitBreaker;
using Pool = Resilience.ThreadPoolBulkhead;
using RetryPolicy = Resilience.Retry;
using Semaphore = Resilience.Bulkhead;
using Timer = Resilience.TimeLimiter;

namespace Resilience.Tests.Decorators;

/// <summary>
/// Chains of built-in primitives run as one fused call (<see cref="FusedChain"/>): which links are fused, and that a
/// fused chain nests its layers exactly in the order given, for every order, length and type of state and result.
/// </summary>
public class FusedChainTests
{
    private const int Limit = 100;

    [Fact]
    public void Link_BuiltInsOnly_FusesEveryLinkWithTwoToFiveLayersFromItToTheEnd()
    {
        LayerNode head = LayerChain.Link([new RetryPolicy("r"), new Breaker("c"), Limiter(), new Timer("t"), new Semaphore("b")])!;

        FusedLengths(head).Should().Equal(5, 4, 3, 2, 0);
    }

    [Fact]
    public void Link_LayerOfOwnOutside_FusesTheBuiltInsInsideIt()
    {
        LayerNode head = LayerChain.Link([new PassThroughLayer(), new RetryPolicy("r"), new Breaker("c")])!;

        FusedLengths(head).Should().Equal(0, 2, 0);
    }

    [Fact]
    public void Link_LayerOfOwnInnermostOrThreadPoolBulkhead_FusesNothingAboveIt()
    {
        using var threads = new Pool("p");
        LayerNode own = LayerChain.Link([new RetryPolicy("r"), new Breaker("c"), new PassThroughLayer()])!;
        LayerNode pool = LayerChain.Link([new RetryPolicy("r"), new Breaker("c"), threads])!;

        FusedLengths(own).Should().Equal(0, 0, 0);
        FusedLengths(pool).Should().Equal(0, 0, 0);
    }

    [Fact]
    public void Link_SixBuiltIns_FusesFromTheSecondOn()
    {
        LayerNode head = LayerChain.Link([new RetryPolicy("outer"), new RetryPolicy("r"), new Breaker("c"), Limiter(), new Timer("t"), new Semaphore("b")])!;

        FusedLengths(head).Should().Equal(0, 5, 4, 3, 2, 0);
    }

    [Fact]
    public async Task ExecuteAsync_EveryOrderOfTheFivePrimitivesAtOnce_NestsThemInThatOrder()
    {
        int[][] orders = [.. Permutations([0, 1, 2, 3, 4])];
        orders.Should().HaveCount(120);

        // Four threads at once: the shapes get their ids and their runners while others are being made and run.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, orders.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => await RunInOrderAsync(orders[i], yields: i % 2 == 1));
    }

    [Fact]
    public void Link_ForwardingLayersOverBuiltIns_FusedLikeThePrimitives()
    {
        LayerNode head = LayerChain.Link([Forward(new RetryPolicy("r")), Forward(new Breaker("c")), new Semaphore("b")])!;
        LayerNode ownTarget = LayerChain.Link([new Forwarding<PassThroughLayer>(new PassThroughLayer()), new RetryPolicy("r"), new Breaker("c")])!;

        FusedLengths(head).Should().Equal(3, 2, 0);
        FusedLengths(ownTarget).Should().Equal(0, 2, 0);
    }

    [Fact]
    public async Task ExecuteAsync_EveryOrderThroughForwardingLayers_NestsThemInThatOrder()
    {
        int[][] orders = [.. Permutations([0, 1, 2, 3, 4])];

        // Each order runs with a different mix of forwarding layers and primitives, so every kind is forwarded at
        // every depth in some shape.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, orders.Length),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => await RunInOrderAsync(orders[i], yields: i % 2 == 1, forwards: depth => (depth + i) % 3 != 0));
    }

    [Fact]
    public async Task ExecuteAsync_ForwardingTargetReplaced_LaterCallsRunThroughTheNewInstanceOnly()
    {
        var first = new Breaker("first");
        var second = new Breaker("second");
        var breaker = new Forwarding<Breaker>(first);
        AsyncResilienceChain chain = InOrder([Forward(new RetryPolicy("r")), breaker, Forward(new Semaphore("b"))]);
        chain.Head!.Fused!.Length.Should().Be(3);

        (await chain.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 1)).Should().Be(1);
        breaker.Replace(second);
        second.TransitionToForcedOpenState();

        await FluentActions.Awaiting(() => chain.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 2).AsTask())
            .Should().ThrowAsync<CallNotPermittedException>("the chain follows the forwarding layer to the forced-open breaker");
        first.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
        first.GetMetrics().NumberOfNotPermittedCalls.Should().Be(0);
        second.GetMetrics().NumberOfNotPermittedCalls.Should().BeGreaterThan(0);
    }

    [Fact]
    public void ExecuteAsync_OutermostForwardingLayerThrows_ReportedThroughTheTask()
    {
        AsyncResilienceChain chain = InOrder([new ThrowingForwarding(), new Breaker("c")]);

        ValueTask<int> pending = chain.ExecuteAsync(static (s, _) => new ValueTask<int>(s), 1);

        pending.IsFaulted.Should().BeTrue("a layer of the user's own outermost is guarded like any other");
        pending.AsTask().Exception!.InnerException.Should().BeOfType<InvalidTimeZoneException>();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ExecuteAsync_ValueTypeStateAndResult_EveryLengthRunsAndRecords(int length)
    {
        var breaker = new Breaker("c");
        IAsyncResilienceLayer[] layers = [breaker, new RetryPolicy("r"), Limiter(), new Timer("t"), new Semaphore("b")];
        AsyncResilienceChain chain = InOrder(layers[..length]);

        chain.Head!.Fused!.Length.Should().Be(length);
        (await chain.ExecuteAsync(static (s, _) => new ValueTask<long>(s * 2L), 21)).Should().Be(42L);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public async Task ExecuteAsync_FusedChainRefuses_PermitsComeBackAndTheFallbackAnswers()
    {
        var breaker = new Breaker("c");
        var bulkhead = new Semaphore("b", new BulkheadOptions { MaxConcurrentCalls = 2 });
        breaker.TransitionToForcedOpenState();
        AsyncDecorators<string> decorators = Resilience.Decorators.For<string>()
            .WithRetry(new RetryPolicy("r")).WithBulkhead(bulkhead).WithTimeLimiter(new Timer("t")).WithCircuitBreaker(breaker)
            .WithFallback<CallNotPermittedException>(static _ => "fallback")
            .Build();

        (await decorators.ExecuteAsync(static (s, _) => new ValueTask<string>(s), "call")).Should().Be("fallback");
        bulkhead.GetMetrics().AvailableConcurrentCalls.Should().Be(2);
    }

    [Fact]
    public async Task ExecuteAsync_FallbackAroundLayerThatThrowsSynchronously_HandledOrReportedThroughTheTask()
    {
        AsyncDecorators<int> handled = Resilience.Decorators.For<int>().With(new ThrowingLayer())
            .WithFallback<InvalidTimeZoneException>(static _ => -1).Build();
        AsyncDecorators<int> unhandled = Resilience.Decorators.For<int>().With(new ThrowingLayer())
            .WithFallback<ArgumentException>(static _ => -1).Build();

        (await handled.ExecuteAsync(static (s, _) => ValueTask.FromResult(s), 1)).Should().Be(-1);
        ValueTask<int> pending = unhandled.ExecuteAsync(static (s, _) => ValueTask.FromResult(s), 1);
        pending.IsFaulted.Should().BeTrue("a throw no fallback handles still comes back through the task");
        await FluentActions.Awaiting(() => pending.AsTask()).Should().ThrowAsync<InvalidTimeZoneException>();
    }

    /// <summary>
    /// Runs a call that fails once and then succeeds, reference-typed state and result, through the five primitives
    /// in <paramref name="order"/>, and checks what each saw: a layer inside the retry sees both attempts.
    /// </summary>
    private static async Task RunInOrderAsync(int[] order, bool yields, Func<int, bool>? forwards = null)
    {
        var retry = new RetryPolicy("r", new RetryOptions { MaxAttempts = 2, WaitDuration = TimeSpan.Zero });
        var breaker = new Breaker("c");
        var limiter = Limiter();
        // The fake clock is never advanced: a call that yields must not time out on a busy machine (the test runs 120
        // orders, four at a time, beside the other tests), and what is checked here is the nesting, not the limit.
        var timer = new Timer("t", timeProvider: new FakeTimeProvider());
        var bulkhead = new Semaphore("b", new BulkheadOptions { MaxConcurrentCalls = 1 });
        IAsyncResilienceLayer[] all = [retry, breaker, limiter, timer, bulkhead];
        AsyncResilienceChain chain = InOrder([.. order.Select((i, depth) => forwards?.Invoke(depth) == true ? Forward(all[i]) : all[i])]);
        bool Inside(IAsyncResilienceLayer layer) => Array.IndexOf(order, 0) < Array.IndexOf(order, Array.IndexOf(all, layer));

        chain.Head!.Fused!.Length.Should().Be(5, "a chain of five built-in primitives is fused whole");
        var probe = new Probe(yields);
        string result = await chain.ExecuteAsync(static (p, ct) => p.CallAsync(ct), probe);

        string because = $"the order is {string.Join(", ", order.Select(i => all[i].GetType().Name))}";
        result.Should().Be("ok", because);
        probe.Attempts.Should().Be(2, because);
        probe.SawTimerToken.Should().BeTrue(because);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(Inside(breaker) ? 1 : 0, because);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1, because);
        limiter.GetMetrics().AvailablePermissions.Should().Be(Limit - (Inside(limiter) ? 2 : 1), because);
        bulkhead.GetMetrics().AvailableConcurrentCalls.Should().Be(1, because);
    }

    /// <summary>A chain of <paramref name="outermostFirst"/>, added as layers in that order, which is then their nesting.</summary>
    private static AsyncResilienceChain InOrder(IAsyncResilienceLayer[] outermostFirst)
    {
        AsyncResilienceChainBuilder builder = Resilience.Decorators.Chain().With(outermostFirst[0]);
        foreach (IAsyncResilienceLayer layer in outermostFirst[1..])
        {
            builder = builder.With(layer);
        }

        return builder.Build();
    }

    /// <summary>A forwarding layer over <paramref name="primitive"/>, typed by the primitive's own type.</summary>
    private static IAsyncResilienceLayer Forward(IAsyncResilienceLayer primitive) => primitive switch
    {
        RetryPolicy retry => new Forwarding<RetryPolicy>(retry),
        Breaker breaker => new Forwarding<Breaker>(breaker),
        RequestRateLimiter limiter => new Forwarding<RequestRateLimiter>(limiter),
        Timer timer => new Forwarding<Timer>(timer),
        Semaphore bulkhead => new Forwarding<Semaphore>(bulkhead),
        _ => throw new ArgumentException("Not a built-in primitive.", nameof(primitive)),
    };

    private static RequestRateLimiter Limiter() =>
        new("l", new RequestRateLimiterOptions { LimitForPeriod = Limit, LimitRefreshPeriod = TimeSpan.FromHours(1) }, new FakeTimeProvider());

    private static List<int> FusedLengths(LayerNode head)
    {
        List<int> lengths = [];
        for (LayerNode? node = head; node is not null; node = node.Next)
        {
            lengths.Add(node.Fused?.Length ?? 0);
        }

        return lengths;
    }

    private static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (int[])[item, .. rest]));

    /// <summary>The call: it throws synchronously on its first attempt, and succeeds (after a yield, if asked) on the second.</summary>
    private sealed class Probe(bool yields)
    {
        private int _attempts;

        public int Attempts => _attempts;

        public bool SawTimerToken { get; private set; }

        public async ValueTask<string> CallAsync(CancellationToken cancellationToken)
        {
            SawTimerToken = cancellationToken.CanBeCanceled;
            if (Interlocked.Increment(ref _attempts) == 1)
            {
                throw new InvalidOperationException("first attempt");
            }

            if (yields)
            {
                await Task.Yield();
            }

            return "ok";
        }
    }

    /// <summary>A layer of the user's own that adds nothing.</summary>
    private sealed class PassThroughLayer : IAsyncResilienceLayer
    {
        public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default) =>
            func(state, cancellationToken);
    }

    /// <summary>A forwarding layer whose target can be replaced, as a registry's layer is on reload.</summary>
    private sealed class Forwarding<T>(T target) : IForwardingLayer<T>
        where T : class, IAsyncResilienceLayer
    {
        private T _target = target;

        public T Target => Volatile.Read(ref _target);

        public void Replace(T next) => Volatile.Write(ref _target, next);

        public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default) =>
            Target.ExecuteAsync(func, state, cancellationToken);
    }

    /// <summary>A forwarding layer that breaks its contract: reading its target throws.</summary>
    private sealed class ThrowingForwarding : IForwardingLayer<RetryPolicy>
    {
        public RetryPolicy Target => throw new InvalidTimeZoneException("no target");

        public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default) =>
            Target.ExecuteAsync(func, state, cancellationToken);
    }

    /// <summary>A layer of the user's own that throws before it runs anything.</summary>
    private sealed class ThrowingLayer : IAsyncResilienceLayer
    {
        public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default) =>
            throw new InvalidTimeZoneException("thrown");
    }
}
