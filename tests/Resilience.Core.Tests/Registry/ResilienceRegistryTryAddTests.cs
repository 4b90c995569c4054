using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.Registry;

/// <summary>Publishing an instance built elsewhere, as the HTTP clients do with their breakers.</summary>
public class ResilienceRegistryTryAddTests
{
    [Fact]
    public void TryAdd_NameFree_AddsThatInstanceAndRaisesEntryAddedOnce()
    {
        var registry = new CircuitBreakerRegistry();
        var added = new List<RegistryEntryEvent<Breaker>>();
        registry.EntryAdded += added.Add;
        var breaker = new Breaker("inventory");

        registry.TryAdd("inventory", breaker).Should().BeTrue();

        registry.GetOrCreate("INVENTORY").Should().BeSameAs(breaker);
        registry.Count.Should().Be(1);
        added.Should().ContainSingle().Which.Should().Be(new RegistryEntryEvent<Breaker>(RegistryEntryEventType.Added, "inventory", breaker, null));
    }

    [Fact]
    public void TryAdd_NameTaken_KeepsExistingAndRaisesNothing()
    {
        var registry = new CircuitBreakerRegistry();
        Breaker existing = registry.GetOrCreate("inventory");
        int events = 0;
        registry.EntryAdded += _ => events++;

        registry.TryAdd("Inventory", new Breaker("inventory")).Should().BeFalse();

        registry.GetOrCreate("inventory").Should().BeSameAs(existing);
        events.Should().Be(0);
    }

    [Fact]
    public void TryAdd_BlankNameOrNullInstance_Throws()
    {
        var registry = new CircuitBreakerRegistry();

        registry.Invoking(r => r.TryAdd(" ", new Breaker("x"))).Should().Throw<ArgumentException>();
        registry.Invoking(r => r.TryAdd("x", null!)).Should().Throw<ArgumentNullException>();
    }
}
