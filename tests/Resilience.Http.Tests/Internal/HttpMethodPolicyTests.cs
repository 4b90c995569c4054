using Resilience.Http.Internal;

namespace Resilience.Http.Tests.Internal;

public class HttpMethodPolicyTests
{
    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public void IsIdempotent_IdempotentMethods_True(string method)
    {
        HttpMethodPolicy.IsIdempotent(new HttpMethod(method)).Should().BeTrue();
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    [InlineData("CONNECT")]
    [InlineData("PURGE")]
    public void IsIdempotent_OtherMethods_False(string method)
    {
        HttpMethodPolicy.IsIdempotent(new HttpMethod(method)).Should().BeFalse();
    }
}
