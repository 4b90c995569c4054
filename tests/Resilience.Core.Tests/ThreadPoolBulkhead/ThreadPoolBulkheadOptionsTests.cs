using PoolBulkhead = Resilience.ThreadPoolBulkhead;

namespace Resilience.Tests.ThreadPoolBulkhead;

public class ThreadPoolBulkheadOptionsTests
{
    [Fact]
    public void Constructor_Defaults_MatchResilience4j()
    {
        var options = new ThreadPoolBulkheadOptions();

        options.CoreThreadPoolSize.Should().Be(Math.Max(Environment.ProcessorCount - 1, 1));
        options.MaxThreadPoolSize.Should().Be(Environment.ProcessorCount);
        options.QueueCapacity.Should().Be(ThreadPoolBulkheadConstants.DefaultQueueCapacity).And.Be(100);
        options.KeepAliveDuration.Should().Be(ThreadPoolBulkheadConstants.DefaultKeepAliveDuration).And.Be(TimeSpan.FromMilliseconds(20));
        options.FlowExecutionContext.Should().BeTrue();
    }

    [Theory]
    [InlineData(0, 1, 0, "ThreadPoolBulkheadOptions.CoreThreadPoolSize is 0, but it must be from 1 to 32,767.")]
    [InlineData(1, 0, 0, "ThreadPoolBulkheadOptions.MaxThreadPoolSize is 0, but it must be from 1 to 32,767.")]
    [InlineData(1, 40_000, 0, "ThreadPoolBulkheadOptions.MaxThreadPoolSize is 40000, but it must be from 1 to 32,767.")]
    [InlineData(1, 1, -1, "ThreadPoolBulkheadOptions.QueueCapacity is -1, but it must be at least 0.")]
    public void Constructor_CountOutOfRange_ThrowsNamingOptionValueAndRange(int core, int max, int queue, string message)
    {
        var options = new ThreadPoolBulkheadOptions { CoreThreadPoolSize = core, MaxThreadPoolSize = max, QueueCapacity = queue };

        Action act = () => _ = new PoolBulkhead("b", options);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith(message);
    }

    [Fact]
    public void Constructor_NegativeKeepAlive_ThrowsNamingOptionValueAndRange()
    {
        var options = new ThreadPoolBulkheadOptions { KeepAliveDuration = TimeSpan.FromMilliseconds(-1) };

        Action act = () => _ = new PoolBulkhead("b", options);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should()
            .StartWith("ThreadPoolBulkheadOptions.KeepAliveDuration is -1 ms, but it must be from 0 to 4294967294 ms (about 49.7 days).");
    }

    [Fact]
    public void Constructor_MaxBelowCore_ThrowsArgumentException()
    {
        var options = new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 4, MaxThreadPoolSize = 2 };

        Action act = () => _ = new PoolBulkhead("b", options);

        act.Should().Throw<ArgumentException>().Where(e => e.GetType() == typeof(ArgumentException)).Which.Message.Should()
            .StartWith("ThreadPoolBulkheadOptions.MaxThreadPoolSize is 2, but it must be at least CoreThreadPoolSize (4).");
    }

    [Fact]
    public void Constructor_ZeroQueueAndZeroKeepAlive_AreValid()
    {
        var options = new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 1, MaxThreadPoolSize = 1, QueueCapacity = 0, KeepAliveDuration = TimeSpan.Zero };

        using var bulkhead = new PoolBulkhead("b", options);

        bulkhead.GetMetrics().QueueCapacity.Should().Be(0);
    }

    [Fact]
    public void Constructor_OptionsChangedLater_BulkheadKeepsItsCopy()
    {
        var options = new ThreadPoolBulkheadOptions { CoreThreadPoolSize = 1, MaxThreadPoolSize = 2, QueueCapacity = 3 };
        using var bulkhead = new PoolBulkhead("b", options);

        options.MaxThreadPoolSize = 8;
        options.QueueCapacity = 9;

        bulkhead.GetMetrics().MaximumThreadPoolSize.Should().Be(2);
        bulkhead.GetMetrics().QueueCapacity.Should().Be(3);
    }

    [Fact]
    public void Clone_Copy_IsIndependent()
    {
        var options = new ThreadPoolBulkheadOptions { QueueCapacity = 3, FlowExecutionContext = false };

        ThreadPoolBulkheadOptions copy = options.Clone();
        copy.QueueCapacity = 4;

        copy.Should().NotBeSameAs(options);
        options.QueueCapacity.Should().Be(3);
        copy.FlowExecutionContext.Should().BeFalse();
    }
}
