namespace Resilience.Http.Tests.Identity;

public sealed class ExpectedServerIdentityTests
{
    private const string Pricing = "spiffe://cluster.local/ns/default/sa/pricing";

    [Fact]
    public void Get_NothingSet_IsNull()
    {
        using var request = new HttpRequestMessage();

        ExpectedServerIdentity.Get(request).Should().BeNull();
    }

    [Fact]
    public void Set_ThenGet_ReturnsItUnderTheOptionsKey()
    {
        using var request = new HttpRequestMessage();

        ExpectedServerIdentity.Set(request, Pricing);

        ExpectedServerIdentity.Get(request).Should().Be(Pricing);
        request.Options.TryGetValue(ExpectedServerIdentity.OptionsKey, out string? stored).Should().BeTrue();
        stored.Should().Be(Pricing);
    }

    [Fact]
    public void Set_Null_RemovesThePreviousAttemptsIdentity()
    {
        using var request = new HttpRequestMessage();
        ExpectedServerIdentity.Set(request, Pricing);

        ExpectedServerIdentity.Set(request, null);

        ExpectedServerIdentity.Get(request).Should().BeNull();
        ((IDictionary<string, object?>)request.Options).Should().NotContainKey(ExpectedServerIdentity.OptionsKey.Key);
    }

    [Fact]
    public void GetAndSet_NullRequest_Throw()
    {
        Action get = () => ExpectedServerIdentity.Get(null!);
        Action set = () => ExpectedServerIdentity.Set(null!, Pricing);

        get.Should().Throw<ArgumentNullException>().WithParameterName("request");
        set.Should().Throw<ArgumentNullException>().WithParameterName("request");
    }
}
