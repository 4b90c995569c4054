using System.Globalization;
using Resilience.Internal;

namespace Resilience;

/// <summary>Validates <see cref="CircuitBreakerOptions"/>; every problem is reported, one a line, naming the option, the value and the valid range.</summary>
internal static class CircuitBreakerOptionsValidator
{
    public static void Validate(CircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(nameof(CircuitBreakerOptions));
        Percent(problems, options.FailureRateThreshold, nameof(CircuitBreakerOptions.FailureRateThreshold));
        Percent(problems, options.SlowCallRateThreshold, nameof(CircuitBreakerOptions.SlowCallRateThreshold));
        if (options.SlowCallDurationThreshold <= TimeSpan.Zero)
        {
            problems.Add(nameof(CircuitBreakerOptions.SlowCallDurationThreshold), options.SlowCallDurationThreshold, "greater than zero");
        }

        Range(problems, options.PermittedNumberOfCallsInHalfOpenState, 1, CountWindowMax, nameof(CircuitBreakerOptions.PermittedNumberOfCallsInHalfOpenState));
        if (options.MaxWaitDurationInHalfOpenState != TimeSpan.Zero)
        {
            Wait(problems, options.MaxWaitDurationInHalfOpenState, nameof(CircuitBreakerOptions.MaxWaitDurationInHalfOpenState), "zero (no limit) or ");
        }

        if (options.TransitionToStateAfterWaitDuration is not (CircuitBreakerState.Open or CircuitBreakerState.Closed))
        {
            problems.Add(nameof(CircuitBreakerOptions.TransitionToStateAfterWaitDuration), options.TransitionToStateAfterWaitDuration, "Open or Closed");
        }

        switch (options.SlidingWindowType)
        {
            case SlidingWindowType.CountBased:
                Range(problems, options.SlidingWindowSize, 1, CountWindowMax, nameof(CircuitBreakerOptions.SlidingWindowSize), " calls for a count-based window");
                break;
            case SlidingWindowType.TimeBased:
                Range(problems, options.SlidingWindowSize, 1, Internal.TimeWindow.MaxSize, nameof(CircuitBreakerOptions.SlidingWindowSize), " seconds for a time-based window");
                break;
            default:
                problems.Add(nameof(CircuitBreakerOptions.SlidingWindowType), options.SlidingWindowType, "CountBased or TimeBased");
                break;
        }

        Range(problems, options.MinimumNumberOfCalls, 1, int.MaxValue, nameof(CircuitBreakerOptions.MinimumNumberOfCalls));
        Wait(problems, options.WaitDurationInOpenState, nameof(CircuitBreakerOptions.WaitDurationInOpenState), string.Empty);
        if (!Enum.IsDefined(options.InitialState))
        {
            problems.Add(nameof(CircuitBreakerOptions.InitialState), options.InitialState, "a defined CircuitBreakerState");
        }

        ExceptionTypes(problems, options.RecordExceptions, nameof(CircuitBreakerOptions.RecordExceptions));
        ExceptionTypes(problems, options.IgnoreExceptions, nameof(CircuitBreakerOptions.IgnoreExceptions));
        problems.ThrowIfAny();
    }

    private const int CountWindowMax = Internal.CountWindow.MaxSize;

    private static void Percent(OptionsProblems problems, float value, string name)
    {
        if (!(value > 0f && value <= 100f))
        {
            problems.Add(name, value, "greater than 0 and at most 100 (percent)");
        }
    }

    private static void Range(OptionsProblems problems, int value, int min, int max, string name, string unit = "")
    {
        if (value < min || value > max)
        {
            string range = max == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"at least {min}{unit}")
                : string.Create(CultureInfo.InvariantCulture, $"from {min} to {max:N0}{unit}");
            problems.Add(name, value, range);
        }
    }

    private static void Wait(OptionsProblems problems, TimeSpan value, string name, string prefix)
    {
        if (value < CircuitBreakerConstants.MinimumWait || value > CircuitBreakerConstants.MaximumWait)
        {
            problems.Add(name, value, prefix + "from 1 ms to " + DurationText.Format(CircuitBreakerConstants.MaximumWait));
        }
    }

    private static void ExceptionTypes(OptionsProblems problems, IList<Type> types, string name)
    {
        foreach (Type? type in types)
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                problems.Add(name, type?.FullName ?? "null", "exception types (System.Exception or a subclass)");
            }
        }
    }
}
