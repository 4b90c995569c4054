using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Budget;

public sealed class AttemptedEndpointsTests
{
    [Fact]
    public void For_SameRequest_ReturnsTheSetKeptInOptions()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://inventory/items");

        AttemptedEndpoints.Find(request).Should().BeNull();
        AttemptedEndpoints first = AttemptedEndpoints.For(request);

        AttemptedEndpoints.For(request).Should().BeSameAs(first);
        AttemptedEndpoints.Find(request).Should().BeSameAs(first);
    }

    [Fact]
    public void Add_ManyEndpoints_CountsEachOnce()
    {
        var attempted = new AttemptedEndpoints();

        foreach (string key in new[] { "a", "b", "a", "c", "d", "c" })
        {
            attempted.Add(key);
        }

        attempted.Count.Should().Be(4);
        new[] { "a", "b", "c", "d" }.Should().AllSatisfy(key => attempted.Contains(key).Should().BeTrue());
        attempted.Contains("e").Should().BeFalse();
    }
}
