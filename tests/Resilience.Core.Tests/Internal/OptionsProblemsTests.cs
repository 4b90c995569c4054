using Resilience.Internal;

namespace Resilience.Tests.Internal;

/// <summary>Values in the messages of the options' validators are written as people write them (durations: <see cref="DurationTextTests"/>).</summary>
public class OptionsProblemsTests
{
    [Fact]
    public void Format_ValuesOfEachKind_DurationAsPeopleWriteItNumberInvariantOtherAsItsText()
    {
        OptionsProblems.Format(TimeSpan.FromSeconds(5)).Should().Be("5 s");
        OptionsProblems.Format(0.5).Should().Be("0.5");
        OptionsProblems.Format("fixed").Should().Be("fixed");
        OptionsProblems.Format(new Nameless()).Should().Be("null");
    }

    private sealed class Nameless
    {
        public override string? ToString() => null;
    }
}
