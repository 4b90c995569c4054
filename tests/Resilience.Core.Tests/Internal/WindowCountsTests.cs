using Resilience.Internal;

namespace Resilience.Tests.Internal;

/// <summary>The invariants the windows assert on every snapshot: no count below zero, failed and slow calls within the total, slow failures within both.</summary>
public class WindowCountsTests
{
    [Theory]
    [InlineData(0, 0, 0, 0, true)]
    [InlineData(10, 4, 3, 2, true)]
    [InlineData(10, 10, 10, 10, true)]
    [InlineData(-1, 0, 0, 0, false)]
    [InlineData(10, -1, 0, 0, false)]
    [InlineData(10, 0, -1, 0, false)]
    [InlineData(10, 1, 1, -1, false)]
    [InlineData(10, 11, 0, 0, false)]
    [InlineData(10, 0, 11, 0, false)]
    [InlineData(10, 1, 5, 2, false)]
    [InlineData(10, 5, 1, 2, false)]
    public void IsConsistent_Counts_HoldsOnlyWithinTheInvariants(long total, long failed, long slow, long slowFailed, bool consistent) =>
        new WindowCounts(total, failed, slow, slowFailed).IsConsistent.Should().Be(consistent);
}
