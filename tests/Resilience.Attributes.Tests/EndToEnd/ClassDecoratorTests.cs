using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Attributes.Tests.EndToEnd;

/// <summary>The decorator generated for an annotated class, and the layers of a method with permits and a thread pool.</summary>
public sealed class ClassDecoratorTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task PriceAsync_AddResilient_ClassAttributesAndInstanceFallbackApply()
    {
        using ServiceProvider provider = TestServices.Build(_time, s => s.AddResilient<IPricing, Pricing>(ServiceLifetime.Singleton));
        var pricing = provider.GetRequiredService<IPricing>();
        CircuitBreaker breaker = provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("pricing");

        (await pricing.PriceAsync("sku-1", CancellationToken.None)).Should().Be(10m);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1, "the class's breaker covers the method");
    }

    [Fact]
    public async Task PriceAsync_EveryAttemptFails_InstanceFallbackOfTheClassRuns()
    {
        var inner = new Pricing { Price = _ => throw new InvalidOperationException("no price"), FallbackPrice = 7m };
        using ServiceProvider provider = TestServices.Build(_time, s => s.AddSingleton<IPricing>(inner).DecorateResilient<IPricing>());
        var pricing = provider.GetRequiredService<IPricing>();

        (await pricing.PriceAsync("sku-1", CancellationToken.None)).Should().Be(7m, "the method's retry, with its fallback, wraps the class's breaker");
        inner.Calls.Should().Be(3);
        provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("pricing").GetMetrics().NumberOfFailedCalls.Should().Be(3);
    }

    [Fact]
    public void Discount_ClassLevelBreakerForcedOpen_IsRefused()
    {
        var inner = new Pricing();
        using ServiceProvider provider = TestServices.Build(_time, s => s.AddSingleton<IPricing>(inner).DecorateResilient<IPricing>());
        provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("pricing").TransitionToForcedOpenState();

        Action call = () => provider.GetRequiredService<IPricing>().Discount("sku-1");

        call.Should().Throw<CallNotPermittedException>();
        inner.Calls.Should().Be(0);
    }

    [Fact]
    public async Task RenderAsync_RateLimiterPermits_EachCallTakesTwoOfFour()
    {
        using ServiceProvider provider = TestServices.Build(_time, s => s.AddResilient<IReports, Reports>());
        using IServiceScope scope = provider.CreateScope();
        var reports = scope.ServiceProvider.GetRequiredService<IReports>();

        (await reports.RenderAsync(1)).Should().Be("report 1", "the thread-pool bulkhead runs it");
        (await reports.RenderAsync(2)).Should().Be("report 2");
        Func<Task> third = () => reports.RenderAsync(3);

        await third.Should().ThrowAsync<RequestNotPermittedException>();
    }
}
