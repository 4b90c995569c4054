using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Budget;

public sealed class PreviousHostsTests
{
    private static readonly string[] Candidates = ["a", "b", "c"];

    [Fact]
    public void SelectUntried_NoAttempt_ReturnsAllCandidates()
    {
        var buffer = new string[3];

        int count = PreviousHosts.SelectUntried<string>(Candidates, static e => e, null, buffer);

        buffer[..count].Should().Equal(Candidates);
    }

    [Fact]
    public void SelectUntried_SomeTried_ReturnsOnlyUntried()
    {
        var attempted = new AttemptedEndpoints();
        attempted.Add("a");
        attempted.Add("c");
        var buffer = new string[3];

        int count = PreviousHosts.SelectUntried<string>(Candidates, static e => e, attempted, buffer);

        buffer[..count].Should().Equal("b");
    }

    [Fact]
    public void SelectUntried_AllTried_ReturnsAllCandidates()
    {
        var attempted = new AttemptedEndpoints();
        foreach (string candidate in Candidates)
        {
            attempted.Add(candidate);
        }

        var buffer = new string[3];

        int count = PreviousHosts.SelectUntried<string>(Candidates, static e => e, attempted, buffer);

        buffer[..count].Should().Equal(Candidates);
    }

    [Fact]
    public void SelectUntried_ShortDestination_Throws()
    {
        Action act = () => PreviousHosts.SelectUntried<string>(Candidates, static e => e, null, new string[2]);

        act.Should().Throw<ArgumentException>();
    }
}
