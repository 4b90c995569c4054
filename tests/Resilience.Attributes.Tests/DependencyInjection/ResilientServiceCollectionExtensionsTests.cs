using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Resilience.Attributes.Tests.EndToEnd;

namespace Resilience.Attributes.Tests.DependencyInjection;

/// <summary>AddResilient and DecorateResilient: lifetimes, the decorator chosen, and clear errors.</summary>
public class ResilientServiceCollectionExtensionsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AddResilient_Scoped_OneDecoratorAndImplementationPerScope()
    {
        using ServiceProvider provider = TestServices.Build(_time, s => s.AddResilient<IInventory, FakeInventory>());
        using IServiceScope first = provider.CreateScope();
        using IServiceScope second = provider.CreateScope();

        IInventory a = first.ServiceProvider.GetRequiredService<IInventory>();

        a.GetType().Name.Should().Be("IInventoryResilienceDecorator");
        first.ServiceProvider.GetRequiredService<IInventory>().Should().BeSameAs(a);
        second.ServiceProvider.GetRequiredService<IInventory>().Should().NotBeSameAs(a);
    }

    [Fact]
    public void AddResilient_AnnotatedClass_TakesTheClassDecorator()
    {
        using ServiceProvider provider = TestServices.Build(_time, s => s.AddResilient<IPricing, Pricing>(ServiceLifetime.Transient));

        IPricing pricing = provider.GetRequiredService<IPricing>();

        pricing.GetType().Name.Should().Be("PricingResilienceDecorator");
        provider.GetRequiredService<IPricing>().Should().NotBeSameAs(pricing, "transient");
    }

    [Fact]
    public void AddResilient_NothingAnnotated_ThrowsAtRegistration()
    {
        Action add = () => new ServiceCollection().AddResilient<IComparable, Plain>();

        add.Should().Throw<InvalidOperationException>().WithMessage("No resilience decorator was generated for System.IComparable or *Plain*[CircuitBreaker]*");
    }

    [Fact]
    public void DecorateResilient_NotRegistered_Throws()
    {
        Action decorate = () => new ServiceCollection().DecorateResilient<IInventory>();

        decorate.Should().Throw<InvalidOperationException>().WithMessage("*found no registration of*IInventory*");
    }

    [Fact]
    public void DecorateResilient_FactoryRegistration_KeepsItsLifetimeAndWrapsWhatItCreates()
    {
        int created = 0;
        using ServiceProvider provider = TestServices.Build(_time, s => s
            .AddTransient<IInventory>(_ => { created++; return new FakeInventory(); })
            .DecorateResilient<IInventory>());

        IInventory first = provider.GetRequiredService<IInventory>();
        IInventory second = provider.GetRequiredService<IInventory>();

        first.GetType().Name.Should().Be("IInventoryResilienceDecorator");
        second.Should().NotBeSameAs(first);
        created.Should().Be(2);
        provider.GetServices<IInventory>().Should().HaveCount(1, "the original registration is replaced, not added to");
    }

    [Fact]
    public void AddResilient_ImplementationKey_NamesTheServiceForDiagnostics()
    {
        var services = new ServiceCollection().AddResilient<IInventory, FakeInventory>();

        ServiceDescriptor keyed = services.Single(d => d.IsKeyedService && d.ServiceType == typeof(FakeInventory));

        keyed.ServiceKey!.ToString().Should().Be("resilience-decorated IInventory");
    }

    [Fact]
    public void DecorateResilient_TypeRegistration_UsesTheRegisteredClass()
    {
        using ServiceProvider provider = TestServices.Build(_time, s => s.AddSingleton<IPricing, Pricing>().DecorateResilient<IPricing>());

        IPricing pricing = provider.GetRequiredService<IPricing>();

        pricing.GetType().Name.Should().Be("PricingResilienceDecorator");
        provider.GetRequiredService<IPricing>().Should().BeSameAs(pricing);
    }

    [Fact]
    public void Arguments_Null_Throw()
    {
        ((Action)(() => ResilientServiceCollectionExtensions.AddResilient<IInventory, FakeInventory>(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => ResilientServiceCollectionExtensions.DecorateResilient<IInventory>(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => ResilienceDecorators.Register<IInventory>(null!))).Should().Throw<ArgumentNullException>();
        ((Action)(() => ResilienceDecorators.Register<IPricing, Pricing>(null!))).Should().Throw<ArgumentNullException>();
    }

    private sealed class Plain : IComparable
    {
        public int CompareTo(object? obj) => 0;
    }
}
