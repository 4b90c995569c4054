namespace Resilience.Tests.Registry;

public class RegistryConfigurationInheritanceTests
{
    [Fact]
    public void AddConfiguration_WithBase_CopiesBaseAndAppliesOverrides()
    {
        var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { FailureRateThreshold = 25, SlidingWindowSize = 7 });

        registry.AddConfiguration("slow", "default", o => o.SlowCallDurationThreshold = TimeSpan.FromSeconds(2));

        registry.TryGetConfiguration("slow", out CircuitBreakerOptions? slow).Should().BeTrue();
        slow!.FailureRateThreshold.Should().Be(25f, "it is inherited from the base");
        slow.SlidingWindowSize.Should().Be(7);
        slow.SlowCallDurationThreshold.Should().Be(TimeSpan.FromSeconds(2), "it is overridden");
        registry.DefaultOptions.SlowCallDurationThreshold.Should().Be(TimeSpan.FromSeconds(60), "the base is unchanged");
    }

    [Fact]
    public void AddConfiguration_ChainOfBases_InheritsTransitively()
    {
        var registry = new CircuitBreakerRegistry();
        registry.AddConfiguration("a", "default", o => o.MinimumNumberOfCalls = 5);
        registry.AddConfiguration("b", "A", o => o.SlidingWindowSize = 20);

        registry.TryGetConfiguration("b", out CircuitBreakerOptions? b).Should().BeTrue();

        b!.MinimumNumberOfCalls.Should().Be(5);
        b.SlidingWindowSize.Should().Be(20);
    }

    [Fact]
    public void AddConfiguration_WithBase_CopiesCollections()
    {
        var baseOptions = new CircuitBreakerOptions();
        baseOptions.RecordExceptions.Add(typeof(TimeoutException));
        var registry = new CircuitBreakerRegistry(baseOptions);

        registry.AddConfiguration("derived", "default", o => o.IgnoreExceptions.Add(typeof(ArgumentException)));
        baseOptions.RecordExceptions.Add(typeof(IOException));

        registry.TryGetConfiguration("derived", out CircuitBreakerOptions? derived).Should().BeTrue();
        derived!.RecordExceptions.Should().Equal(typeof(TimeoutException));
        derived.IgnoreExceptions.Should().Equal([.. new CircuitBreakerOptions().IgnoreExceptions, typeof(ArgumentException)]);
        baseOptions.IgnoreExceptions.Should().Equal(new CircuitBreakerOptions().IgnoreExceptions);
    }

    [Fact]
    public void AddConfiguration_LaterChangeToBase_DoesNotChangeDerived()
    {
        var registry = new CircuitBreakerRegistry();
        registry.AddConfiguration("base", new CircuitBreakerOptions { MinimumNumberOfCalls = 3 });
        registry.AddConfiguration("derived", "base", _ => { });

        registry.AddConfiguration("base", new CircuitBreakerOptions { MinimumNumberOfCalls = 9 });
        registry.RemoveConfiguration("base");

        registry.TryGetConfiguration("derived", out CircuitBreakerOptions? derived).Should().BeTrue();
        derived!.MinimumNumberOfCalls.Should().Be(3);
    }

    [Fact]
    public void AddConfiguration_UnknownBase_ThrowsConfigurationNotFound()
    {
        var registry = new CircuitBreakerRegistry();

        Action act = () => registry.AddConfiguration("derived", "missing", _ => { });

        act.Should().Throw<ConfigurationNotFoundException>().Which.ConfigurationName.Should().Be("missing");
        registry.TryGetConfiguration("derived", out _).Should().BeFalse();
    }

    [Fact]
    public void AddConfiguration_InvalidOverride_ThrowsAndAddsNothing()
    {
        var registry = new CircuitBreakerRegistry();

        Action act = () => registry.AddConfiguration("derived", "default", o => o.FailureRateThreshold = 0);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*FailureRateThreshold*0*");
        registry.TryGetConfiguration("derived", out _).Should().BeFalse();
    }

    [Fact]
    public void AddConfiguration_DefaultAsName_Throws()
    {
        var registry = new CircuitBreakerRegistry();

        Action act = () => registry.AddConfiguration("Default", "default", _ => { });

        act.Should().Throw<ArgumentException>().WithMessage("*reserved*");
    }

    [Fact]
    public void GetOrCreate_FromDerivedConfiguration_UsesMergedOptions()
    {
        var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { SlidingWindowSize = 10, MinimumNumberOfCalls = 10 });
        registry.AddConfiguration("eager", "default", o => o.MinimumNumberOfCalls = 1);

        Resilience.CircuitBreaker breaker = registry.GetOrCreate("inventory", "eager");
        breaker.AcquirePermission().RecordFailure(new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Open);
    }
}
