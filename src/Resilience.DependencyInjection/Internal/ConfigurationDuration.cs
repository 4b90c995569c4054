using System.Globalization;
using System.Text.RegularExpressions;

namespace Resilience.DependencyInjection;

/// <summary>
/// Reads a duration from configuration the way Resilience4j's Spring Boot properties read one.
/// </summary>
/// <remarks>
/// <para>Accepted, in this order: a bare whole number, read as <b>milliseconds</b> (Spring's rule for a
/// <c>Duration</c> property; <see cref="TimeSpan.Parse(string)"/> would read <c>5</c> as five days); a whole number with
/// a unit, <c>ns</c>, <c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c> or <c>min</c>, <c>h</c>, <c>d</c> (<c>500ms</c>,
/// <c>10s</c>, <c>1 m</c>); an ISO-8601 duration (<c>PT10S</c>, <c>P1DT2H</c>, <c>PT0.5S</c>); a <see cref="TimeSpan"/>
/// string with a colon (<c>00:00:05</c>, <c>1.02:00:00</c>). A TimeSpan string without a colon, such as <c>1.5</c>, is
/// refused rather than read as days and hours.</para>
/// </remarks>
internal static partial class ConfigurationDuration
{
    /// <summary>What a duration must be, for messages.</summary>
    public const string Expected = "a duration such as 500ms, 10s, 1m, 2h, 1d, PT10S or 00:00:05 (a bare number is milliseconds)";

    public static bool TryParse(string value, out TimeSpan duration)
    {
        duration = default;
        string text = value.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        try
        {
            if (UnitPattern().Match(text) is { Success: true } unit)
            {
                long amount = long.Parse(unit.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                long ticksPerUnit = unit.Groups[2].Value.ToLowerInvariant() switch
                {
                    "" or "ms" => TimeSpan.TicksPerMillisecond,
                    "ns" => 0,
                    "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                    "s" => TimeSpan.TicksPerSecond,
                    "m" or "min" => TimeSpan.TicksPerMinute,
                    "h" => TimeSpan.TicksPerHour,
                    "d" or "day" or "days" => TimeSpan.TicksPerDay,
                    _ => -1,
                };
                if (ticksPerUnit < 0)
                {
                    return false;
                }

                duration = ticksPerUnit == 0 ? TimeSpan.FromTicks(amount / 100) : TimeSpan.FromTicks(checked(amount * ticksPerUnit));
                return true;
            }

            if (IsoPattern().Match(text) is { Success: true } iso)
            {
                return TryIso(iso, out duration);
            }

            return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool TryIso(Match iso, out TimeSpan duration)
    {
        long ticks = checked(
            (Whole(iso.Groups["d"]) * TimeSpan.TicksPerDay)
            + (Whole(iso.Groups["h"]) * TimeSpan.TicksPerHour)
            + (Whole(iso.Groups["m"]) * TimeSpan.TicksPerMinute)
            + (Whole(iso.Groups["s"]) * TimeSpan.TicksPerSecond));
        if (iso.Groups["f"].Success && iso.Groups["f"].Value.Length > 0)
        {
            string fraction = iso.Groups["f"].Value.PadRight(7, '0')[..7];
            long fractionTicks = long.Parse(fraction, CultureInfo.InvariantCulture);
            ticks = iso.Groups["s"].Value.StartsWith('-') ? checked(ticks - fractionTicks) : checked(ticks + fractionTicks);
        }

        bool anyPart = iso.Groups["d"].Success || iso.Groups["h"].Success || iso.Groups["m"].Success || iso.Groups["s"].Success;
        duration = TimeSpan.FromTicks(iso.Groups["sign"].Value == "-" ? -ticks : ticks);
        return anyPart && (!iso.Groups["t"].Success || iso.Groups["h"].Success || iso.Groups["m"].Success || iso.Groups["s"].Success);
    }

    private static long Whole(Group group) =>
        group.Success ? long.Parse(group.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^([+-]?\d+)\s*([a-zµ]{0,4})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnitPattern();

    [GeneratedRegex(@"^(?<sign>[+-]?)P(?:(?<d>[+-]?\d+)D)?(?<t>T(?:(?<h>[+-]?\d+)H)?(?:(?<m>[+-]?\d+)M)?(?:(?<s>[+-]?\d+)(?:[.,](?<f>\d{0,9}))?S)?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();
}
