namespace Resilience.Tests.Internal;

/// <summary>Durations in messages read as people write them (issue 13: never <c>49.17:02:47.2940000</c>).</summary>
public class DurationTextTests
{
    public static TheoryData<TimeSpan, string> Cases => new()
    {
        { TimeSpan.Zero, "0" },
        { TimeSpan.FromTicks(1), "100 ns" },
        { TimeSpan.FromMicroseconds(5), "5 µs" },
        { TimeSpan.FromMilliseconds(1), "1 ms" },
        { TimeSpan.FromMilliseconds(1500), "1500 ms" },
        { TimeSpan.FromSeconds(30), "30 s" },
        { TimeSpan.FromMinutes(2), "2 min" },
        { TimeSpan.FromHours(3), "3 h" },
        { TimeSpan.FromDays(1), "1 day" },
        { TimeSpan.FromDays(60), "60 days" },
        { TimeSpan.FromMilliseconds(uint.MaxValue - 1), "4294967294 ms (about 49.7 days)" },
        { TimeSpan.FromSeconds(5401), "5401 s (about 1.5 h)" },
        { TimeSpan.FromSeconds(-30), "-30 s" },
        { TimeSpan.FromMinutes(90), "90 min" },
        { TimeSpan.FromSeconds(86_401), "86401 s (about 1 day)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Format_Duration_ReadsAsPeopleWriteIt(TimeSpan value, string expected) =>
        DurationText.Format(value).Should().Be(expected);
}
