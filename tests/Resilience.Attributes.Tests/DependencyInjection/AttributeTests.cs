using System.Reflection;

namespace Resilience.Attributes.Tests.DependencyInjection;

/// <summary>The attributes as metadata: what they keep, and where C# lets them go.</summary>
public class AttributeTests
{
    [Fact]
    public void Members_KeepWhatTheyAreGiven()
    {
        var breaker = new CircuitBreakerAttribute("a") { Configuration = "shared", FallbackMethod = "Fb" };
        var retry = new RetryAttribute("b") { Configuration = "c", FallbackMethod = "F" };
        var limiter = new RateLimiterAttribute("c") { Configuration = "d", FallbackMethod = "G", Permits = 3 };
        var timeLimiter = new TimeLimiterAttribute("d") { Configuration = "e", FallbackMethod = "H" };
        var bulkhead = new BulkheadAttribute("e") { Configuration = "f", FallbackMethod = "I", Type = BulkheadType.ThreadPool };

        (breaker.Name, breaker.Configuration, breaker.FallbackMethod).Should().Be(("a", "shared", "Fb"));
        (retry.Name, retry.Configuration, retry.FallbackMethod).Should().Be(("b", "c", "F"));
        (limiter.Name, limiter.Configuration, limiter.FallbackMethod, limiter.Permits).Should().Be(("c", "d", "G", 3));
        (timeLimiter.Name, timeLimiter.Configuration, timeLimiter.FallbackMethod).Should().Be(("d", "e", "H"));
        (bulkhead.Name, bulkhead.Configuration, bulkhead.FallbackMethod, bulkhead.Type).Should().Be(("e", "f", "I", BulkheadType.ThreadPool));
        new RateLimiterAttribute("x").Permits.Should().Be(1);
        new BulkheadAttribute("x").Type.Should().Be(BulkheadType.Semaphore);
    }

    [Theory]
    [InlineData(typeof(CircuitBreakerAttribute))]
    [InlineData(typeof(RetryAttribute))]
    [InlineData(typeof(RateLimiterAttribute))]
    [InlineData(typeof(TimeLimiterAttribute))]
    [InlineData(typeof(BulkheadAttribute))]
    public void Usage_InterfacesClassesAndMethodsOnceEach(Type attribute)
    {
        AttributeUsageAttribute usage = attribute.GetCustomAttribute<AttributeUsageAttribute>()!;

        usage.ValidOn.Should().Be(AttributeTargets.Interface | AttributeTargets.Class | AttributeTargets.Method);
        usage.AllowMultiple.Should().BeFalse("one instance of each kind per member; the most specific wins");
        usage.Inherited.Should().BeFalse("the generator reads them where they are written");
    }
}
