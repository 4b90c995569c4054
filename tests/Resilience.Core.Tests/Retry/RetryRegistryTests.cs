using Microsoft.Extensions.Time.Testing;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Retry;

public class RetryRegistryTests
{
    [Fact]
    public void Constructor_NoOptions_UsesLibraryDefaults()
    {
        var registry = new RetryRegistry();

        registry.DefaultOptions.MaxAttempts.Should().Be(3);
        registry.DefaultOptions.WaitDuration.Should().Be(TimeSpan.FromMilliseconds(500));
        registry.Count.Should().Be(0);
    }

    [Fact]
    public void Constructor_InvalidDefaultOptions_Throws()
    {
        Action create = () => _ = new RetryRegistry(new RetryOptions { MaxAttempts = 0 });

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RetryOptions.MaxAttempts is 0, but it must be at least 1.*");
    }

    [Fact]
    public void GetOrCreate_NamedConfiguration_UsesItsOptionsAndTheSharedClock()
    {
        var time = new FakeTimeProvider();
        var registry = new RetryRegistry(new RetryOptions { MaxAttempts = 2, WaitDuration = TimeSpan.Zero }, time);
        registry.AddConfiguration("once", new RetryOptions { MaxAttempts = 1 });

        RetryPrimitive defaults = registry.GetOrCreate("inventory");
        RetryPrimitive once = registry.GetOrCreate("pricing", "once");
        int calls = 0;
        FluentActions.Invoking(() => defaults.Execute(() => ++calls > 0 ? throw new InvalidOperationException() : 0)).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => once.Execute(() => ++calls > 0 ? throw new InvalidOperationException() : 0)).Should().Throw<InvalidOperationException>();

        calls.Should().Be(3);
        defaults.TimeProvider.Should().BeSameAs(time);
        registry.GetOrCreate("INVENTORY").Should().BeSameAs(defaults);
    }

    [Fact]
    public void AddConfiguration_WithBase_DeepCopiesTheExceptionLists()
    {
        var baseOptions = new RetryOptions();
        baseOptions.IgnoreExceptions.Add(typeof(ArgumentException));
        var registry = new RetryRegistry(baseOptions);

        registry.AddConfiguration("child", RetryRegistry.DefaultConfigurationName, o => o.RetryExceptions.Add(typeof(TimeoutException)));
        baseOptions.IgnoreExceptions.Clear();

        registry.TryGetConfiguration("child", out RetryOptions? child).Should().BeTrue();
        child!.IgnoreExceptions.Should().Equal(typeof(ArgumentException));
        child.RetryExceptions.Should().Equal(typeof(TimeoutException));
        baseOptions.RetryExceptions.Should().BeEmpty();
    }

    [Fact]
    public void AddConfiguration_InvalidOptions_ThrowsWithTheRetryMessage()
    {
        var registry = new RetryRegistry();

        Action add = () => registry.AddConfiguration("bad", new RetryOptions { RandomizationFactor = 2 });

        add.Should().Throw<ArgumentOutOfRangeException>().WithMessage("RetryOptions.RandomizationFactor is 2, but it must be from 0 to 1.*");
    }
}
