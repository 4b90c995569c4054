namespace Resilience.Http.Tests.Internal;

/// <summary>The copy of the shared duration text compiled into Resilience.Http (src/Shared) writes durations as Core's does.</summary>
public class DurationTextTests
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
        { TimeSpan.FromMilliseconds(uint.MaxValue - 1), "4294967294 ms (about 49.7 days)" },
        { TimeSpan.FromSeconds(86_401), "86401 s (about 1 day)" },
        { TimeSpan.FromMilliseconds(-1), "-1 ms" },
        { TimeSpan.FromDays(-2), "-2 days" },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Format_Duration_WrittenAsPeopleWriteIt(TimeSpan value, string expected) =>
        DurationText.Format(value).Should().Be(expected);
}
