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
        TimeSpan t => DurationText.Format(t),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    private string Message(string option, object value, string range) =>
        string.Create(CultureInfo.InvariantCulture, $"{optionsName}.{option} is {Format(value)}, but it must be {range}.");
}
