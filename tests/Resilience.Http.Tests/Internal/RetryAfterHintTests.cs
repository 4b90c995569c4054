using System.Net;
using System.Net.Http.Headers;
using Resilience.Http.Internal;

namespace Resilience.Http.Tests.Internal;

public class RetryAfterHintTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryGetDelay_DeltaSeconds_ReturnsThem()
    {
        using HttpResponseMessage response = Response("120");

        RetryAfterHint.TryGetDelay(response, Now, out TimeSpan delay).Should().BeTrue();

        delay.Should().Be(TimeSpan.FromSeconds(120));
    }

    [Fact]
    public void TryGetDelay_HttpDate_ReturnsTimeUntilIt()
    {
        using HttpResponseMessage response = Response("Tue, 24 Nov 2026 12:00:30 GMT");

        RetryAfterHint.TryGetDelay(response, Now, out TimeSpan delay).Should().BeTrue();

        delay.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void TryGetDelay_HttpDateInThePast_ReturnsZero()
    {
        using HttpResponseMessage response = Response("Tue, 24 Nov 2026 11:59:00 GMT");

        RetryAfterHint.TryGetDelay(response, Now, out TimeSpan delay).Should().BeTrue();

        delay.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void TryGetDelay_NoHeader_ReturnsFalse()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        RetryAfterHint.TryGetDelay(response, Now, out _).Should().BeFalse();
    }

    [Fact]
    public void TryGetDelay_MalformedHeader_ReturnsFalse()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", "soon");

        RetryAfterHint.TryGetDelay(response, Now, out _).Should().BeFalse();
    }

    [Fact]
    public void Fit_LongerThanMaximum_IsCapped()
    {
        RetryAfterHint.Fit(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), remaining: null).Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Fit_WithinMaximumAndBudget_IsKept()
    {
        RetryAfterHint.Fit(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)).Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Fit_CannotEndBeforeTheTotalTimeLimit_ReturnsNull()
    {
        RetryAfterHint.Fit(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)).Should().BeNull();
        RetryAfterHint.Fit(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20)).Should().BeNull("the capped wait still does not fit");
    }

    private static HttpResponseMessage Response(string retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = RetryConditionHeaderValue.Parse(retryAfter);
        return response;
    }
}
