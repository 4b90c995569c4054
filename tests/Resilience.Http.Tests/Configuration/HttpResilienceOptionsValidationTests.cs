using Microsoft.Extensions.DependencyInjection;
using static Resilience.Http.Tests.Configuration.ConfigurationTestHost;

namespace Resilience.Http.Tests.Configuration;

/// <summary>The HTTP settings of options set by code are checked when the host starts; each problem names the client, the instance and the setting, with durations as people write them.</summary>
public class HttpResilienceOptionsValidationTests
{
    private const string Range = "4294967294 ms (about 49.7 days)";

    [Theory]
    [InlineData(999, "999 ms")]
    [InlineData(4_294_967_295, "4294967295 ms (about 49.7 days)")]
    public void Start_AuthorityIdleTimeoutOutOfRange_RefusedWithDurationAndRange(long milliseconds, string shown)
    {
        using ServiceProvider provider = Services(s => s.AddHttpClient("client").AddCircuitBreaker("inventory", o => o.AuthorityIdleTimeout = TimeSpan.FromMilliseconds(milliseconds)));

        StartFailures(provider).Should().Equal(
            $"HTTP client 'client', instance 'inventory': HttpCircuitBreakerOptions.AuthorityIdleTimeout is {shown}, but it must be from 1 s to {Range}.");
    }

    [Theory]
    [InlineData(-1, "-1 ms")]
    [InlineData(4_294_967_295, "4294967295 ms (about 49.7 days)")]
    public void Start_MaxRetryAfterDelayOutOfRange_RefusedWithDurationAndRange(long milliseconds, string shown)
    {
        using ServiceProvider provider = Services(s => s.AddHttpClient("client").AddRetry("inventory", o => o.MaxRetryAfterDelay = TimeSpan.FromMilliseconds(milliseconds)));

        StartFailures(provider).Should().Equal(
            $"HTTP client 'client', instance 'inventory': HttpRetryOptions.MaxRetryAfterDelay is {shown}, but it must be from 0 to {Range}.");
    }

    [Fact]
    public void Start_StandardCompositionWithoutBreakerAndWithBadStatusCode_RefusedNamingTheLayer()
    {
        using ServiceProvider provider = Services(s => s.AddResilientHttpClient("client", o =>
        {
            o.CircuitBreaker = null;
            o.Retry!.FailureStatusCodes = [503, 600];
        }));

        StartFailures(provider).Should().Equal(
            "HTTP client 'client': Retry: HttpRetryOptions.FailureStatusCodes contains 600, but every code must be between 100 and 599.");
    }

    [Fact]
    public void Start_GrpcStatusCodesOutOfRange_RefusedNamingTheFullKey()
    {
        using ServiceProvider provider = Services(s => s.AddResilientHttpClient("client", o =>
        {
            o.Retry!.FailureGrpcStatusCodes = [14, 0];
            o.CircuitBreaker!.FailureGrpcStatusCodes = [17];
        }));

        StartFailures(provider).Should().Equal(
            "HTTP client 'client': Retry: HttpRetryOptions.FailureGrpcStatusCodes contains 0, but every code must be between 1 (CANCELLED) and 16 (UNAUTHENTICATED).",
            "HTTP client 'client': CircuitBreaker: HttpCircuitBreakerOptions.FailureGrpcStatusCodes contains 17, but every code must be between 1 (CANCELLED) and 16 (UNAUTHENTICATED).");
    }
}
