using System.Globalization;

namespace Resilience;

/// <summary>
/// Writes a duration for a message as people write it: <c>1 ms</c>, <c>5 s</c>, <c>2 min</c>, <c>3 h</c>,
/// <c>2 days</c>; an odd length above an hour with its size, such as <c>4294967294 ms (about 49.7 days)</c>.
/// </summary>
/// <remarks>Shared source: compiled into each package whose messages print durations (linked from src/Shared), since
/// the packages see only each other's public API.</remarks>
internal static class DurationText
{
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Format(value.Duration());
        }

        long ticks = value.Ticks;
        CultureInfo invariant = CultureInfo.InvariantCulture;
        string exact = ticks switch
        {
            0 => "0",
            _ when ticks % TimeSpan.TicksPerDay == 0 => Days(ticks / TimeSpan.TicksPerDay),
            _ when ticks % TimeSpan.TicksPerHour == 0 => (ticks / TimeSpan.TicksPerHour).ToString(invariant) + " h",
            _ when ticks % TimeSpan.TicksPerMinute == 0 => (ticks / TimeSpan.TicksPerMinute).ToString(invariant) + " min",
            _ when ticks % TimeSpan.TicksPerSecond == 0 => (ticks / TimeSpan.TicksPerSecond).ToString(invariant) + " s",
            _ when ticks % TimeSpan.TicksPerMillisecond == 0 => (ticks / TimeSpan.TicksPerMillisecond).ToString(invariant) + " ms",
            _ when ticks % TimeSpan.TicksPerMicrosecond == 0 => (ticks / TimeSpan.TicksPerMicrosecond).ToString(invariant) + " µs",
            _ => (ticks * 100).ToString(invariant) + " ns",
        };
        if (value < TimeSpan.FromHours(1) || ticks % TimeSpan.TicksPerMinute == 0)
        {
            return exact;
        }

        string about = value.TotalDays >= 1 ? Days(Math.Round(value.TotalDays, 1)) : Math.Round(value.TotalHours, 1).ToString(invariant) + " h";
        return $"{exact} (about {about})";
    }

    private static string Days(double days) =>
        string.Create(CultureInfo.InvariantCulture, $"{days} day{(days == 1 ? string.Empty : "s")}");
}
