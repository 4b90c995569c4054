using Resilience.Internal;

namespace Resilience.Tests.Internal;

/// <summary>Values in the messages of the options' validators are written as people write them.</summary>
public class OptionsProblemsTests
{
    public static TheoryData<TimeSpan, string> Durations => new()
    {
        { TimeSpan.Zero, "0" },
        { TimeSpan.FromTicks(1), "100 ns" },
        { TimeSpan.FromMicroseconds(3), "3 µs" },
        { TimeSpan.FromMilliseconds(250), "250 ms" },
        { TimeSpan.FromSeconds(5), "5 s" },
        { TimeSpan.FromMinutes(2), "2 min" },
        { TimeSpan.FromMinutes(90), "90 min" },
        { TimeSpan.FromHours(3), "3 h" },
        { TimeSpan.FromDays(1), "1 day" },
        { TimeSpan.FromDays(2), "2 days" },
        { TimeSpan.FromSeconds(5401), "5401 s (about 1.5 h)" },
        { TimeSpan.FromSeconds(86_401), "86401 s (about 1 day)" },
        { TimeSpan.FromMilliseconds(uint.MaxValue - 1), "4294967294 ms (about 49.7 days)" },
        { TimeSpan.FromMilliseconds(-1), "-1 ms" },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void FormatDuration_Duration_WrittenAsPeopleWriteIt(TimeSpan value, string expected) =>
        OptionsProblems.FormatDuration(value).Should().Be(expected);

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
