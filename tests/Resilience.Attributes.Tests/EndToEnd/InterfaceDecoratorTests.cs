using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Attributes.Tests.EndToEnd;

/// <summary>The decorator generated for an annotated interface, run through DI against real registries.</summary>
public sealed class InterfaceDecoratorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeInventory _inner = new();
    private readonly ServiceProvider _provider;
    private readonly IInventory _inventory;

    public InterfaceDecoratorTests()
    {
        _provider = TestServices.Build(_time, s => s.AddSingleton<IInventory>(_inner).DecorateResilient<IInventory>());
        _inventory = _provider.GetRequiredService<IInventory>();
    }

    private CircuitBreaker Breaker => _provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("inventory");

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task GetStockAsync_FailsTwiceThenSucceeds_RetriesAroundTheBreaker()
    {
        _inner.Stock.Enqueue(_ => throw new IOException("down"));
        _inner.Stock.Enqueue(_ => Task.FromException<int>(new IOException("down")));

        int stock = await _inventory.GetStockAsync("sku-1", CancellationToken.None);

        stock.Should().Be(5);
        _inner.StockCalls.Should().Be(3);
        Breaker.GetMetrics().NumberOfFailedCalls.Should().Be(2, "the breaker is inside the retry and sees each attempt");
        Breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public async Task GetStockAsync_EveryAttemptFails_RetryFallbackGetsTheArgumentsAndException()
    {
        for (int i = 0; i < 3; i++)
        {
            _inner.Stock.Enqueue(_ => throw new IOException("down"));
        }

        (await _inventory.GetStockAsync("sku-1", CancellationToken.None)).Should().Be(-1, "StockFallback(string, Exception, CancellationToken) handles it");
        _inner.StockCalls.Should().Be(3);
    }

    [Fact]
    public async Task GetStockAsync_CallersTokenCancelled_CancellationPropagatesPastTheFallback()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        _inner.Stock.Enqueue(ct => Task.FromCanceled<int>(ct));

        Func<Task> call = () => _inventory.GetStockAsync("sku-1", cts.Token);

        await call.Should().ThrowAsync<OperationCanceledException>("a fallback never swallows the caller's own cancellation");
    }

    [Fact]
    public async Task NameAsync_TimesOut_MostSpecificFallbackRuns()
    {
        var pending = new TaskCompletionSource<string>();
        _inner.Name = ct =>
        {
            ct.Register(() => pending.TrySetCanceled(ct));
            return new ValueTask<string>(pending.Task);
        };

        ValueTask<string> call = _inventory.NameAsync(CancellationToken.None);
        call.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(2));

        (await call.AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Should().Be("timed out");
    }

    [Fact]
    public void Count_BreakerForcedOpen_FallbackForCallNotPermittedRunsWithoutTheCall()
    {
        bool called = false;
        _inner.CountCall = () => { called = true; return 1; };
        Breaker.TransitionToForcedOpenState();

        _inventory.Count("sku-1").Should().Be(-10);
        called.Should().BeFalse();
    }

    [Fact]
    public void Count_ExceptionNoFallbackTakes_Propagates()
    {
        _inner.CountCall = () => throw new InvalidOperationException("bug");

        Action call = () => _inventory.Count("sku-1");

        call.Should().Throw<InvalidOperationException>();
        Breaker.GetMetrics().NumberOfFailedCalls.Should().Be(1);
    }

    [Fact]
    public async Task EveryShape_BreakerForcedOpen_IsRefused()
    {
        Breaker.TransitionToForcedOpenState();

        ((Action)(() => _inventory.Reset("sku-1"))).Should().Throw<CallNotPermittedException>();
        await ((Func<Task>)(() => _inventory.RefreshAsync(CancellationToken.None))).Should().ThrowAsync<CallNotPermittedException>();
        await ((Func<Task>)(async () => await _inventory.PingAsync())).Should().ThrowAsync<CallNotPermittedException>();
        _inner.Resets.Should().Be(0);
        _inner.Refreshes.Should().Be(0);
        _inner.Pings.Should().Be(0);
    }

    [Fact]
    public async Task EveryShape_Closed_ReachesTheImplementation()
    {
        _inventory.Reset("sku-1");
        await _inventory.RefreshAsync(CancellationToken.None);
        await _inventory.PingAsync();
        _inventory.Region = "us";

        (_inner.Resets, _inner.Refreshes, _inner.Pings).Should().Be((1, 1, 1));
        _inventory.Region.Should().Be("us", "properties forward to the implementation");
        (await _inventory.NameAsync(CancellationToken.None)).Should().Be("inventory");
        Breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(4, "the interface's breaker covers every method, NameAsync's time limiter included");
    }

    [Fact]
    public async Task SuccessPath_SynchronousAndValueTask_AllocatesNothing()
    {
        for (int i = 0; i < 2000; i++)
        {
            _inventory.Count("sku-1");
            await _inventory.PingAsync();
        }

        int incomplete = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            _inventory.Count("sku-1");
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            ValueTask ping = _inventory.PingAsync();
            incomplete += ping.IsCompletedSuccessfully ? 0 : 1;
            await ping;
        }

        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        incomplete.Should().Be(0);
        allocated.Should().Be(0, "the decorator calls its chains with static lambdas and value-tuple state");
    }
}
