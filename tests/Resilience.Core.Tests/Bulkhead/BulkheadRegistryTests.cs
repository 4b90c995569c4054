using Microsoft.Extensions.Time.Testing;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

public class BulkheadRegistryTests
{
    [Fact]
    public void Constructor_NoOptions_UsesLibraryDefaults()
    {
        var registry = new BulkheadRegistry();

        registry.DefaultOptions.MaxConcurrentCalls.Should().Be(25);
        registry.GetOrCreate("a").GetMetrics().MaxAllowedConcurrentCalls.Should().Be(25);
        registry.GetOrCreate("a").TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void Constructor_InvalidDefaultOptions_Throws()
    {
        Action create = () => _ = new BulkheadRegistry(new BulkheadOptions { MaxConcurrentCalls = -2 });

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("BulkheadOptions.MaxConcurrentCalls is -2*");
    }

    [Fact]
    public void GetOrCreate_NamedConfiguration_UsesItsOptionsAndSharedTimeProvider()
    {
        var time = new FakeTimeProvider();
        var registry = new BulkheadRegistry(new BulkheadOptions { MaxConcurrentCalls = 5 }, time);
        registry.AddConfiguration("narrow", new BulkheadOptions { MaxConcurrentCalls = 1 });

        SemaphoreBulkhead narrow = registry.GetOrCreate("pricing", "narrow");
        SemaphoreBulkhead wide = registry.GetOrCreate("inventory");

        narrow.Name.Should().Be("pricing");
        narrow.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(1);
        wide.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(5);
        narrow.TimeProvider.Should().BeSameAs(time);
        registry.GetOrCreate("PRICING").Should().BeSameAs(narrow);
    }

    [Fact]
    public void AddConfiguration_InvalidOptions_ThrowsAndAddsNothing()
    {
        var registry = new BulkheadRegistry();

        Action add = () => registry.AddConfiguration("bad", new BulkheadOptions { MaxWaitDuration = TimeSpan.FromTicks(-1) });

        add.Should().Throw<ArgumentOutOfRangeException>().WithMessage("BulkheadOptions.MaxWaitDuration is *");
        registry.TryGetConfiguration("bad", out _).Should().BeFalse();
    }

    [Fact]
    public void AddConfiguration_FromBase_CopiesThenOverrides()
    {
        var registry = new BulkheadRegistry(new BulkheadOptions { MaxConcurrentCalls = 7, FairCallHandlingEnabled = false });

        registry.AddConfiguration("patient", "default", o => o.MaxWaitDuration = TimeSpan.FromSeconds(1));

        registry.TryGetConfiguration("patient", out BulkheadOptions? patient).Should().BeTrue();
        patient!.Should().NotBeSameAs(registry.DefaultOptions);
        patient.MaxConcurrentCalls.Should().Be(7);
        patient.FairCallHandlingEnabled.Should().BeFalse();
        patient.MaxWaitDuration.Should().Be(TimeSpan.FromSeconds(1));
        registry.DefaultOptions.MaxWaitDuration.Should().Be(TimeSpan.Zero);
    }
}
