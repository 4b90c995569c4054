using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;
using Resilience.Tests.CircuitBreaker;

namespace Resilience.Tests.Registry;

public class CircuitBreakerRegistryTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Constructor_NoOptions_UsesLibraryDefaults()
    {
        var registry = new CircuitBreakerRegistry();

        registry.DefaultOptions.Should().NotBeNull();
        registry.DefaultOptions.FailureRateThreshold.Should().Be(50f);
        registry.DefaultOptions.SlidingWindowSize.Should().Be(100);
        registry.DefaultOptions.MinimumNumberOfCalls.Should().Be(100);
        registry.Count.Should().Be(0);
        registry.GetAll().Should().BeEmpty();
    }

    [Fact]
    public void Constructor_WithOptions_KeepsThemAsDefaultOptions()
    {
        var options = new CircuitBreakerOptions { FailureRateThreshold = 25 };

        var registry = new CircuitBreakerRegistry(options);

        registry.DefaultOptions.Should().BeSameAs(options);
        registry.TryGetConfiguration("default", out CircuitBreakerOptions? found).Should().BeTrue();
        found.Should().BeSameAs(options);
        registry.TryGetConfiguration("DEFAULT", out found).Should().BeTrue();
        found.Should().BeSameAs(options);
    }

    [Fact]
    public void GetOrCreate_NameOnly_UsesDefaultOptions()
    {
        var registry = new CircuitBreakerRegistry(Tripping(minimumNumberOfCalls: 2));

        Breaker breaker = registry.GetOrCreate("inventory");
        breaker.RecordFailure(Fast, new InvalidOperationException());
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.RecordFailure(Fast, new InvalidOperationException());

        breaker.Name.Should().Be("inventory");
        breaker.State.Should().Be(CircuitBreakerState.Open, "the default options open after 2 failed calls");
    }

    [Fact]
    public void GetOrCreate_NamedConfiguration_UsesItsOptions()
    {
        var registry = new CircuitBreakerRegistry(Tripping(minimumNumberOfCalls: 5));
        registry.AddConfiguration("strict", Tripping(minimumNumberOfCalls: 1));

        Breaker strict = registry.GetOrCreate("pricing", "strict");
        Breaker lenient = registry.GetOrCreate("inventory");
        strict.RecordFailure(Fast, new InvalidOperationException());
        lenient.RecordFailure(Fast, new InvalidOperationException());

        strict.State.Should().Be(CircuitBreakerState.Open);
        lenient.State.Should().Be(CircuitBreakerState.Closed);
    }

    [Fact]
    public void GetOrCreate_ConfigurationNameDefault_UsesDefaultOptions()
    {
        var registry = new CircuitBreakerRegistry(Tripping(minimumNumberOfCalls: 1));

        Breaker breaker = registry.GetOrCreate("a", "Default");
        breaker.RecordFailure(Fast, new InvalidOperationException());

        breaker.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void GetOrCreate_SameNameTwice_ReturnsSameInstance()
    {
        var registry = new CircuitBreakerRegistry();

        Breaker first = registry.GetOrCreate("inventory");
        Breaker second = registry.GetOrCreate("inventory");

        second.Should().BeSameAs(first);
        registry.Count.Should().Be(1);
    }

    [Fact]
    public void GetOrCreate_NameInOtherCase_ReturnsSameInstance()
    {
        var registry = new CircuitBreakerRegistry();

        Breaker first = registry.GetOrCreate("Inventory");

        registry.GetOrCreate("INVENTORY").Should().BeSameAs(first);
        registry.GetOrCreate("inventory", new CircuitBreakerOptions()).Should().BeSameAs(first);
        registry.TryGet("iNvEnToRy", out Breaker? found).Should().BeTrue();
        found.Should().BeSameAs(first);
        first.Name.Should().Be("Inventory");
        registry.Count.Should().Be(1);
    }

    [Fact]
    public void GetOrCreate_ExistingNameWithOtherOptions_IgnoresTheOptions()
    {
        var registry = new CircuitBreakerRegistry(Tripping(minimumNumberOfCalls: 5));
        registry.AddConfiguration("strict", Tripping(minimumNumberOfCalls: 1));
        Breaker original = registry.GetOrCreate("inventory");

        registry.GetOrCreate("inventory", Tripping(minimumNumberOfCalls: 1)).Should().BeSameAs(original);
        registry.GetOrCreate("inventory", "strict").Should().BeSameAs(original);
        original.RecordFailure(Fast, new InvalidOperationException());

        original.State.Should().Be(CircuitBreakerState.Closed, "the breaker keeps the options it was created with");
    }

    [Fact]
    public void GetOrCreate_UnknownConfiguration_ThrowsConfigurationNotFound()
    {
        var registry = new CircuitBreakerRegistry();

        Action act = () => registry.GetOrCreate("inventory", "x");

        ConfigurationNotFoundException ex = act.Should().Throw<ConfigurationNotFoundException>()
            .WithMessage("Configuration with name 'x' does not exist.").Which;
        ex.ConfigurationName.Should().Be("x");
        ex.Should().BeAssignableTo<ResilienceException>().Which.InstanceName.Should().Be("x");
        registry.Count.Should().Be(0);
        registry.TryGet("inventory", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void GetOrCreate_BlankName_Throws(string name)
    {
        var registry = new CircuitBreakerRegistry();

        Action act = () => registry.GetOrCreate(name);

        act.Should().Throw<ArgumentException>();
        registry.Count.Should().Be(0);
    }

    [Fact]
    public void AddConfiguration_Case_IsIgnoredInLookups()
    {
        var registry = new CircuitBreakerRegistry();
        var options = new CircuitBreakerOptions();

        registry.AddConfiguration("Strict", options);

        registry.TryGetConfiguration("STRICT", out CircuitBreakerOptions? found).Should().BeTrue();
        found.Should().BeSameAs(options);
        registry.TryGetConfiguration("missing", out _).Should().BeFalse();
    }

    [Fact]
    public void AddConfiguration_ExistingName_ReplacesItButKeepsExistingInstances()
    {
        var registry = new CircuitBreakerRegistry();
        registry.AddConfiguration("shared", Tripping(minimumNumberOfCalls: 5));
        Breaker before = registry.GetOrCreate("before", "shared");

        var replacement = Tripping(minimumNumberOfCalls: 1);
        registry.AddConfiguration("shared", replacement);
        Breaker after = registry.GetOrCreate("after", "shared");
        before.RecordFailure(Fast, new InvalidOperationException());
        after.RecordFailure(Fast, new InvalidOperationException());

        registry.TryGetConfiguration("shared", out CircuitBreakerOptions? found).Should().BeTrue();
        found.Should().BeSameAs(replacement);
        before.State.Should().Be(CircuitBreakerState.Closed);
        after.State.Should().Be(CircuitBreakerState.Open);
    }

    [Fact]
    public void RemoveConfiguration_Existing_RemovesItButKeepsInstances()
    {
        var registry = new CircuitBreakerRegistry();
        registry.AddConfiguration("strict", Tripping(minimumNumberOfCalls: 1));
        Breaker breaker = registry.GetOrCreate("pricing", "strict");

        registry.RemoveConfiguration("STRICT").Should().BeTrue();

        registry.RemoveConfiguration("strict").Should().BeFalse();
        registry.TryGetConfiguration("strict", out _).Should().BeFalse();
        registry.TryGet("pricing", out Breaker? found).Should().BeTrue();
        found.Should().BeSameAs(breaker);
        Action act = () => registry.GetOrCreate("other", "strict");
        act.Should().Throw<ConfigurationNotFoundException>().WithMessage("Configuration with name 'strict' does not exist.");
    }

    [Theory]
    [InlineData("default")]
    [InlineData("DEFAULT")]
    [InlineData("Default")]
    public void AddConfiguration_DefaultName_Throws(string name)
    {
        var registry = new CircuitBreakerRegistry();
        CircuitBreakerOptions defaults = registry.DefaultOptions;

        Action act = () => registry.AddConfiguration(name, new CircuitBreakerOptions());

        act.Should().Throw<ArgumentException>().WithMessage("*'default'*reserved*").Which.ParamName.Should().Be("name");
        registry.TryGetConfiguration("default", out CircuitBreakerOptions? found).Should().BeTrue();
        found.Should().BeSameAs(defaults);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("DEFAULT")]
    public void RemoveConfiguration_DefaultName_Throws(string name)
    {
        var registry = new CircuitBreakerRegistry();

        Action act = () => registry.RemoveConfiguration(name);

        act.Should().Throw<ArgumentException>().WithMessage("*'default'*reserved*");
        registry.TryGetConfiguration("default", out _).Should().BeTrue();
    }

    [Fact]
    public void AddConfiguration_InvalidOptions_ThrowsValidatorMessageAndAddsNothing()
    {
        var registry = new CircuitBreakerRegistry();

        Action act = () => registry.AddConfiguration("bad", new CircuitBreakerOptions { FailureRateThreshold = 0 });

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("CircuitBreakerOptions.FailureRateThreshold is 0, but it must be greater than 0 and at most 100 (percent).*")
            .Which.ParamName.Should().Be("FailureRateThreshold");
        registry.TryGetConfiguration("bad", out _).Should().BeFalse();
    }

    [Fact]
    public void AddConfiguration_InvalidWindowSize_ThrowsValidatorMessage()
    {
        var registry = new CircuitBreakerRegistry();
        var options = new CircuitBreakerOptions { SlidingWindowType = SlidingWindowType.TimeBased, SlidingWindowSize = 3601 };

        Action act = () => registry.AddConfiguration("bad", options);

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("CircuitBreakerOptions.SlidingWindowSize is 3601, but it must be from 1 to 3,600 seconds for a time-based window.*");
    }

    [Fact]
    public void Constructor_InvalidDefaultOptions_ThrowsValidatorMessage()
    {
        Action act = () => _ = new CircuitBreakerRegistry(new CircuitBreakerOptions { MinimumNumberOfCalls = 0 });

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("CircuitBreakerOptions.MinimumNumberOfCalls is 0, but it must be at least 1.*");
    }

    [Fact]
    public void TryGet_Missing_ReturnsFalseAndCreatesNothing()
    {
        var registry = new CircuitBreakerRegistry();
        int added = 0;
        registry.EntryAdded += _ => added++;

        registry.TryGet("missing", out Breaker? found).Should().BeFalse();

        found.Should().BeNull();
        registry.Count.Should().Be(0);
        added.Should().Be(0);
    }

    [Fact]
    public void GetOrCreate_NewName_RaisesEntryAddedOnce()
    {
        var registry = new CircuitBreakerRegistry();
        var events = new List<RegistryEntryEvent<Breaker>>();
        registry.EntryAdded += events.Add;

        Breaker breaker = registry.GetOrCreate("inventory");
        registry.GetOrCreate("inventory");
        registry.GetOrCreate("INVENTORY");

        events.Should().ContainSingle().Which.Should().Be(
            new RegistryEntryEvent<Breaker>(RegistryEntryEventType.Added, "inventory", breaker, null));
    }

    [Fact]
    public void TryRemove_Existing_RemovesAndRaisesEntryRemoved()
    {
        var registry = new CircuitBreakerRegistry();
        var events = new List<RegistryEntryEvent<Breaker>>();
        registry.EntryRemoved += events.Add;
        Breaker breaker = registry.GetOrCreate("inventory");

        registry.TryRemove("Inventory", out Breaker? removed).Should().BeTrue();

        removed.Should().BeSameAs(breaker);
        registry.Count.Should().Be(0);
        registry.TryGet("inventory", out _).Should().BeFalse();
        events.Should().ContainSingle().Which.Should().Be(
            new RegistryEntryEvent<Breaker>(RegistryEntryEventType.Removed, "Inventory", breaker, null));
    }

    [Fact]
    public void TryRemove_Missing_ReturnsFalseWithoutEvent()
    {
        var registry = new CircuitBreakerRegistry();
        int removedEvents = 0;
        registry.EntryRemoved += _ => removedEvents++;

        registry.TryRemove("missing", out Breaker? removed).Should().BeFalse();

        removed.Should().BeNull();
        removedEvents.Should().Be(0);
    }

    [Fact]
    public void GetOrCreate_AfterRemove_CreatesNewInstanceAndRaisesEntryAddedAgain()
    {
        var registry = new CircuitBreakerRegistry();
        int added = 0;
        registry.EntryAdded += _ => added++;
        Breaker first = registry.GetOrCreate("inventory");
        registry.TryRemove("inventory", out _);

        Breaker second = registry.GetOrCreate("inventory");

        second.Should().NotBeSameAs(first);
        added.Should().Be(2);
    }

    [Fact]
    public void TryReplace_Existing_ReplacesAndRaisesEntryReplaced()
    {
        var registry = new CircuitBreakerRegistry();
        var replacedEvents = new List<RegistryEntryEvent<Breaker>>();
        int added = 0;
        registry.EntryReplaced += replacedEvents.Add;
        registry.EntryAdded += _ => added++;
        Breaker original = registry.GetOrCreate("inventory");
        var replacement = new Breaker("inventory");

        registry.TryReplace("INVENTORY", replacement, out Breaker? replaced).Should().BeTrue();

        replaced.Should().BeSameAs(original);
        registry.GetOrCreate("inventory").Should().BeSameAs(replacement);
        registry.TryGet("inventory", out Breaker? found).Should().BeTrue();
        found.Should().BeSameAs(replacement);
        registry.Count.Should().Be(1);
        added.Should().Be(1);
        replacedEvents.Should().ContainSingle().Which.Should().Be(
            new RegistryEntryEvent<Breaker>(RegistryEntryEventType.Replaced, "INVENTORY", replacement, original));
    }

    [Fact]
    public void TryReplace_Missing_ReturnsFalseAddsNothingAndRaisesNothing()
    {
        var registry = new CircuitBreakerRegistry();
        int events = 0;
        registry.EntryReplaced += _ => events++;
        registry.EntryAdded += _ => events++;

        registry.TryReplace("missing", new Breaker("missing"), out Breaker? replaced).Should().BeFalse();

        replaced.Should().BeNull();
        registry.Count.Should().Be(0);
        registry.TryGet("missing", out _).Should().BeFalse();
        events.Should().Be(0);
    }

    [Fact]
    public void GetAll_ReturnsSnapshotNotAffectedByLaterChanges()
    {
        var registry = new CircuitBreakerRegistry();
        Breaker a = registry.GetOrCreate("a");
        Breaker b = registry.GetOrCreate("b");

        IReadOnlyList<Breaker> snapshot = registry.GetAll();
        registry.GetOrCreate("c");
        registry.TryRemove("a", out _);

        snapshot.Should().HaveCount(2).And.Contain(a).And.Contain(b);
        registry.GetAll().Select(x => x.Name).Should().BeEquivalentTo("b", "c");
    }

    [Fact]
    public void GetOrCreate_EveryBreaker_SharesTheRegistryTimeProvider()
    {
        var time = new FakeTimeProvider();
        var options = Tripping(minimumNumberOfCalls: 1);
        options.WaitDurationInOpenState = TimeSpan.FromSeconds(10);
        options.AutomaticTransitionFromOpenToHalfOpenEnabled = true;
        var registry = new CircuitBreakerRegistry(options, time);
        registry.AddConfiguration("other", options);

        Breaker a = registry.GetOrCreate("a");
        Breaker b = registry.GetOrCreate("b", "other");
        Breaker c = registry.GetOrCreate("c", Tripping(minimumNumberOfCalls: 1));
        a.TimeProvider.Should().BeSameAs(time);
        b.TimeProvider.Should().BeSameAs(time);
        c.TimeProvider.Should().BeSameAs(time);
        a.RecordFailure(Fast, new InvalidOperationException());
        b.RecordFailure(Fast, new InvalidOperationException());

        time.Advance(TimeSpan.FromSeconds(10));

        a.State.Should().Be(CircuitBreakerState.HalfOpen);
        b.State.Should().Be(CircuitBreakerState.HalfOpen);
    }

    [Fact]
    public void Constructor_NoTimeProvider_UsesSystemTimeProvider()
    {
        var registry = new CircuitBreakerRegistry();

        registry.GetOrCreate("a").TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    private static CircuitBreakerOptions Tripping(int minimumNumberOfCalls) => new()
    {
        SlidingWindowSize = 10,
        MinimumNumberOfCalls = minimumNumberOfCalls,
        FailureRateThreshold = 50,
    };
}
