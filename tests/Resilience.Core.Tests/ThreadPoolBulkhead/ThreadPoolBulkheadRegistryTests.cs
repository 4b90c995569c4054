using Microsoft.Extensions.Time.Testing;
using PoolBulkhead = Resilience.ThreadPoolBulkhead;

namespace Resilience.Tests.ThreadPoolBulkhead;

public class ThreadPoolBulkheadRegistryTests
{
    [Fact]
    public void GetOrCreate_DefaultAndNamedConfiguration_UseTheirOptions()
    {
        using var registry = new ThreadPoolBulkheadRegistry(new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 1, MaxThreadPoolSize = 2, QueueCapacity = 5 });
        registry.AddConfiguration("wide", "default", o => o.MaxThreadPoolSize = 6);

        PoolBulkhead narrow = registry.GetOrCreate("narrow");
        PoolBulkhead wide = registry.GetOrCreate("wide-one", "wide");

        narrow.GetMetrics().MaximumThreadPoolSize.Should().Be(2);
        wide.GetMetrics().MaximumThreadPoolSize.Should().Be(6);
        wide.GetMetrics().QueueCapacity.Should().Be(5, "inherited from the default configuration");
        registry.GetOrCreate("NARROW").Should().BeSameAs(narrow);
        registry.DefaultOptions.MaxThreadPoolSize.Should().Be(2, "the base configuration is copied, not changed");
    }

    [Fact]
    public void Constructor_InvalidDefaults_ThrowsWithTheValidationMessage()
    {
        Action act = () => _ = new ThreadPoolBulkheadRegistry(new ThreadPoolBulkheadOptions { QueueCapacity = -1 });

        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("ThreadPoolBulkheadOptions.QueueCapacity is -1");
    }

    [Fact]
    public async Task TryRemove_Instance_IsNotDisposed()
    {
        using var registry = new ThreadPoolBulkheadRegistry(timeProvider: new FakeTimeProvider());
        PoolBulkhead created = registry.GetOrCreate("b");

        registry.TryRemove("b", out PoolBulkhead? removed).Should().BeTrue();

        removed.Should().BeSameAs(created);
        (await removed!.Submit(() => 1).Within()).Should().Be(1, "the caller owns a removed instance");
        removed.Dispose();
    }

    [Fact]
    public void Dispose_Registry_DisposesItsInstancesAndRefusesNewOnes()
    {
        var registry = new ThreadPoolBulkheadRegistry();
        PoolBulkhead bulkhead = registry.GetOrCreate("b");

        registry.Dispose();

        ((Action)(() => bulkhead.Submit(() => 1))).Should().Throw<ObjectDisposedException>();
        ((Action)(() => registry.GetOrCreate("other"))).Should().Throw<ObjectDisposedException>();
        registry.TryGet("other", out _).Should().BeFalse();
    }
}
