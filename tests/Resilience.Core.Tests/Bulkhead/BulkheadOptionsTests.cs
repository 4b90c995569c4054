using Microsoft.Extensions.Time.Testing;
using SemaphoreBulkhead = Resilience.Bulkhead;

namespace Resilience.Tests.Bulkhead;

public class BulkheadOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchResilience4j()
    {
        var options = new BulkheadOptions();

        options.MaxConcurrentCalls.Should().Be(BulkheadConstants.DefaultMaxConcurrentCalls).And.Be(25);
        options.MaxWaitDuration.Should().Be(BulkheadConstants.DefaultMaxWaitDuration).And.Be(TimeSpan.Zero);
        options.FairCallHandlingEnabled.Should().Be(BulkheadConstants.DefaultFairCallHandlingEnabled).And.BeTrue();
    }

    [Fact]
    public void BulkheadConstructor_NullOptionsAndTimeProvider_UsesDefaultsAndSystemTime()
    {
        var bulkhead = new SemaphoreBulkhead("defaults");

        bulkhead.Name.Should().Be("defaults");
        bulkhead.TimeProvider.Should().BeSameAs(TimeProvider.System);
        bulkhead.GetMetrics().Should().Be(new BulkheadMetrics { AvailableConcurrentCalls = 25, MaxAllowedConcurrentCalls = 25, WaitingCalls = 0 });
        bulkhead.Hold(25);
        bulkhead.TryHold().Should().BeFalse("the default maximum wait is zero: refuse at once");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void BulkheadConstructor_NoName_Throws(string? name)
    {
        Action create = () => _ = new SemaphoreBulkhead(name!);

        create.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("name");
    }

    [Fact]
    public void BulkheadConstructor_NegativeMaxConcurrentCalls_ThrowsNamingOptionValueAndRange()
    {
        Action create = () => _ = new SemaphoreBulkhead("b", new BulkheadOptions { MaxConcurrentCalls = -1 });

        ArgumentOutOfRangeException ex = create.Should().Throw<ArgumentOutOfRangeException>().Which;
        ex.ParamName.Should().Be("MaxConcurrentCalls");
        ex.Message.Should().StartWith("BulkheadOptions.MaxConcurrentCalls is -1, but it must be at least 0.");
    }

    [Theory]
    [InlineData(-1L, "-100 ns")]
    [InlineData(42_949_672_950_000L, "4294967295 ms (about 49.7 days)")]
    public void BulkheadConstructor_MaxWaitOutOfRange_ThrowsNamingOptionValueAndRange(long ticks, string shown)
    {
        Action create = () => _ = new SemaphoreBulkhead("b", new BulkheadOptions { MaxWaitDuration = TimeSpan.FromTicks(ticks) });

        ArgumentOutOfRangeException ex = create.Should().Throw<ArgumentOutOfRangeException>().Which;
        ex.ParamName.Should().Be("MaxWaitDuration");
        ex.Message.Should().StartWith($"BulkheadOptions.MaxWaitDuration is {shown}, but it must be from 0 to 4294967294 ms (about 49.7 days).");
    }

    [Fact]
    public void BulkheadConstructor_BoundaryValues_AreAccepted()
    {
        Action create = () =>
        {
            _ = new SemaphoreBulkhead("zero", new BulkheadOptions { MaxConcurrentCalls = 0, MaxWaitDuration = TimeSpan.Zero });
            _ = new SemaphoreBulkhead("max", new BulkheadOptions { MaxConcurrentCalls = int.MaxValue, MaxWaitDuration = BulkheadConstants.MaximumWait });
        };

        create.Should().NotThrow();
    }

    [Fact]
    public void BulkheadConstructor_OptionsChangedLater_DoesNotAffectBulkhead()
    {
        var options = new BulkheadOptions { MaxConcurrentCalls = 1 };
        var bulkhead = new SemaphoreBulkhead("b", options, new FakeTimeProvider());

        options.MaxConcurrentCalls = 5;
        options.MaxWaitDuration = TimeSpan.FromMinutes(1);

        bulkhead.GetMetrics().MaxAllowedConcurrentCalls.Should().Be(1);
        bulkhead.Hold(1);
        bulkhead.ExecuteAsync(static _ => ValueTask.CompletedTask).AsTask().IsFaulted.Should().BeTrue("the copied wait is still zero");
    }

    [Fact]
    public void MaxConcurrentCallsZero_EveryCallIsRejected()
    {
        var bulkhead = new SemaphoreBulkhead("closed", new BulkheadOptions { MaxConcurrentCalls = 0 });
        bool ran = false;

        Action call = () => bulkhead.Execute(() => ran = true);

        call.Should().Throw<BulkheadFullException>().Which.BulkheadName.Should().Be("closed");
        ran.Should().BeFalse();
        bulkhead.TryHold().Should().BeFalse();
    }

    [Fact]
    public void Clone_ReturnsEqualIndependentCopy()
    {
        var options = new BulkheadOptions { MaxConcurrentCalls = 3, MaxWaitDuration = TimeSpan.FromSeconds(2), FairCallHandlingEnabled = false };

        BulkheadOptions copy = options.Clone();
        options.MaxConcurrentCalls = 9;

        copy.Should().NotBeSameAs(options);
        copy.MaxConcurrentCalls.Should().Be(3);
        copy.MaxWaitDuration.Should().Be(TimeSpan.FromSeconds(2));
        copy.FairCallHandlingEnabled.Should().BeFalse();
    }

    [Fact]
    public void BulkheadFullException_Message_NamesBulkhead()
    {
        var ex = new BulkheadFullException("inventory");

        ex.Message.Should().Be("Bulkhead 'inventory' is full and does not permit further calls.");
        ex.BulkheadName.Should().Be("inventory");
        ex.InstanceName.Should().Be("inventory");
        ex.InnerException.Should().BeNull();
    }
}
