using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Refit;

namespace Resilience.Attributes.Tests.EndToEnd.Refit;

/// <summary>
/// A Refit client (Refit's generated path) decorated with <c>DecorateResilient</c>, whose [Retry] and
/// [CircuitBreaker] run per HTTP request through <c>AddMethodResilience</c>, against a Kestrel server on loopback.
/// </summary>
public sealed class RefitClientTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        // Only a Retry-After hint can make these retries wait less than an hour.
        ["Resilience:Retry:Instances:orders-read:MaxAttempts"] = "3",
        ["Resilience:Retry:Instances:orders-read:WaitDuration"] = "1h",
        ["Resilience:Retry:Instances:orders-write:MaxAttempts"] = "3",
        ["Resilience:Retry:Instances:orders-write:WaitDuration"] = "1h",
        ["Resilience:CircuitBreaker:Instances:stock:SlidingWindowSize"] = "2",
        ["Resilience:CircuitBreaker:Instances:stock:MinimumNumberOfCalls"] = "2",
        ["Resilience:CircuitBreaker:Instances:stock:WaitDurationInOpenState"] = "1h",
        ["Resilience:CircuitBreaker:Instances:prices:SlidingWindowSize"] = "2",
        ["Resilience:CircuitBreaker:Instances:prices:MinimumNumberOfCalls"] = "2",
    };

    private readonly TimerSignalingTimeProvider _time = new();
    private OrdersServer _server = null!;
    private ServiceProvider _provider = null!;

    private IOrders Orders => _provider.GetRequiredService<IOrders>();

    public async Task InitializeAsync()
    {
        _server = await OrdersServer.StartAsync();
        IConfigurationSection section = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build().GetSection("Resilience");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddRefitGeneratedClient<IOrders>()
            .ConfigureHttpClient(c => c.BaseAddress = _server.BaseAddress)
            .AddMethodResilience<IOrders>(section);
        services.DecorateResilient<IOrders>();
        _provider = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Get_503WithRetryAfter_RetriedAfterTheHint()
    {
        _server.Script("/orders/1", """{"id":1,"item":"book"}""", (503, "2"));

        Task<Order> call = Orders.GetAsync(1);
        TimeSpan wait = await _time.FirstTimerAsync();

        wait.Should().Be(TimeSpan.FromSeconds(2), "the server's Retry-After replaces the hour of backoff");
        call.IsCompleted.Should().BeFalse();
        _time.Advance(wait);
        (await call).Should().Be(new Order(1, "book"));
        _server.Requests("/orders/1").Should().Be(2);
    }

    [Fact]
    public async Task Post_503_NotRetried()
    {
        _server.Script("/orders", """{"id":2,"item":"pen"}""", (503, null));

        Func<Task> create = () => Orders.CreateAsync(new Order(2, "pen"));

        (await create.Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        _server.Requests("/orders").Should().Be(1, "a POST is not idempotent: the per-request retry does not send it again");
    }

    [Fact]
    public async Task Stock_FailuresThenOpenBreaker_FallbackChosenByExceptionType()
    {
        _server.Script("/stock/a", """{"sku":"a","count":5,"source":"server"}""", (500, null), (500, null));

        Stock first = await Orders.StockAsync("a");
        Stock second = await Orders.StockAsync("a");
        Stock third = await Orders.StockAsync("a");

        first.Source.Should().Be("server 500");
        second.Source.Should().Be("server 500");
        third.Source.Should().Be("breaker open");
        _server.Requests("/stock/a").Should().Be(2, "the open breaker refuses the third request before it is sent");
    }

    [Fact]
    public async Task Price_StockBreakerOpen_ItsOwnBreakerLetsItThrough()
    {
        _server.Script("/stock/b", "{}", (500, null), (500, null));
        _server.Script("/prices/b", """{"sku":"b","count":7,"source":"prices"}""");
        await Orders.StockAsync("b");
        await Orders.StockAsync("b");
        (await Orders.StockAsync("b")).Source.Should().Be("breaker open");

        Stock price = await Orders.PriceAsync("b");

        price.Should().Be(new Stock("b", 7, "prices"));
        _server.Requests("/prices/b").Should().Be(1);
    }

    [Fact]
    public async Task Decorator_WithoutAddMethodResilience_ThrowsWhenResolved()
    {
        var services = new ServiceCollection();
        services.AddRefitGeneratedClient<IOrders>().ConfigureHttpClient(c => c.BaseAddress = _server.BaseAddress);
        services.DecorateResilient<IOrders>();
        await using ServiceProvider provider = services.BuildServiceProvider();

        Action resolve = () => provider.GetRequiredService<IOrders>();

        resolve.Should().Throw<InvalidOperationException>().WithMessage("*AddMethodResilience<IOrders>(configuration)*");
    }

    /// <summary>A fake clock that reports the due time of the first timer it creates (the retry's wait).</summary>
    private sealed class TimerSignalingTimeProvider : FakeTimeProvider
    {
        private readonly TaskCompletionSource<TimeSpan> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<TimeSpan> FirstTimerAsync() => _first.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ITimer timer = base.CreateTimer(callback, state, dueTime, period);
            _first.TrySetResult(dueTime);
            return timer;
        }
    }
}
