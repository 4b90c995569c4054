using System.Globalization;

namespace Resilience.Internal;

/// <summary>
/// The problems an options validator finds, all of them: thrown at the end as one exception whose message has one
/// line per problem, each naming the option, the value and the valid range.
/// </summary>
/// <remarks>
/// The exception is an <see cref="ArgumentOutOfRangeException"/> for the first problem's option (an
/// <see cref="ArgumentException"/> when the only problem is a rule across two options), so that callers that catch
/// one problem keep working. Validation runs when options are applied, never per call.
/// </remarks>
internal sealed class OptionsProblems(string optionsName)
{
    private readonly List<(string Parameter, object? Value, string Message)> _problems = [];

    /// <summary>Adds that <paramref name="option"/> is <paramref name="value"/>, but must be <paramref name="range"/>.</summary>
    public void Add(string option, object value, string range, string? parameter = null) =>
        _problems.Add((parameter ?? option, value, Message(option, value, range)));

    /// <summary>Adds a rule across options, thrown as a plain <see cref="ArgumentException"/> when it is the only problem.</summary>
    public void AddRule(string option, object value, string range, string parameter) =>
        _problems.Add((parameter, null, Message(option, value, range)));

    /// <summary>Throws every problem found, if any.</summary>
    public void ThrowIfAny()
    {
        if (_problems.Count == 0)
        {
            return;
        }

        (string parameter, object? value, string first) = _problems[0];
        string message = _problems.Count == 1 ? first : string.Join('\n', _problems.Select(static p => p.Message));
        if (value is null)
        {
            throw new ArgumentException(message, parameter);
        }

        throw new ArgumentOutOfRangeException(parameter, value, message);
    }

    /// <summary>Writes a value for a message; a duration as people write it (<c>1 ms</c>, <c>5 s</c>, <c>49 days</c>).</summary>
    public static string Format(object value) => value switch
    {
        TimeSpan t => FormatDuration(t),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    /// <summary>Writes a duration as people write it: <c>1 ms</c>, <c>5 s</c>, <c>2 min</c>, <c>3 h</c>, <c>2 days</c>; an odd length above an hour with its size, such as <c>4294967294 ms (about 49.7 days)</c>.</summary>
    public static string FormatDuration(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + FormatDuration(value.Duration());
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

    private string Message(string option, object value, string range) =>
        string.Create(CultureInfo.InvariantCulture, $"{optionsName}.{option} is {Format(value)}, but it must be {range}.");
}
