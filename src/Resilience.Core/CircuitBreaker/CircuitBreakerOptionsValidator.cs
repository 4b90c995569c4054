using System.Globalization;

namespace Resilience;

/// <summary>Validates <see cref="CircuitBreakerOptions"/>; every message names the option, the value and the valid range.</summary>
internal static class CircuitBreakerOptionsValidator
{
    public static void Validate(CircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Percent(options.FailureRateThreshold, nameof(CircuitBreakerOptions.FailureRateThreshold));
        Percent(options.SlowCallRateThreshold, nameof(CircuitBreakerOptions.SlowCallRateThreshold));
        if (options.SlowCallDurationThreshold <= TimeSpan.Zero)
        {
            Throw(nameof(CircuitBreakerOptions.SlowCallDurationThreshold), options.SlowCallDurationThreshold, "greater than zero");
        }

        Range(options.PermittedNumberOfCallsInHalfOpenState, 1, CountWindowMax, nameof(CircuitBreakerOptions.PermittedNumberOfCallsInHalfOpenState));
        if (options.MaxWaitDurationInHalfOpenState != TimeSpan.Zero)
        {
            Wait(options.MaxWaitDurationInHalfOpenState, nameof(CircuitBreakerOptions.MaxWaitDurationInHalfOpenState), "zero (no limit) or ");
        }

        if (options.TransitionToStateAfterWaitDuration is not (CircuitBreakerState.Open or CircuitBreakerState.Closed))
        {
            Throw(nameof(CircuitBreakerOptions.TransitionToStateAfterWaitDuration), options.TransitionToStateAfterWaitDuration, "Open or Closed");
        }

        switch (options.SlidingWindowType)
        {
            case SlidingWindowType.CountBased:
                Range(options.SlidingWindowSize, 1, CountWindowMax, nameof(CircuitBreakerOptions.SlidingWindowSize), " calls for a count-based window");
                break;
            case SlidingWindowType.TimeBased:
                Range(options.SlidingWindowSize, 1, Internal.TimeWindow.MaxSize, nameof(CircuitBreakerOptions.SlidingWindowSize), " seconds for a time-based window");
                break;
            default:
                Throw(nameof(CircuitBreakerOptions.SlidingWindowType), options.SlidingWindowType, "CountBased or TimeBased");
                break;
        }

        Range(options.MinimumNumberOfCalls, 1, int.MaxValue, nameof(CircuitBreakerOptions.MinimumNumberOfCalls));
        Wait(options.WaitDurationInOpenState, nameof(CircuitBreakerOptions.WaitDurationInOpenState), string.Empty);
        if (!Enum.IsDefined(options.InitialState))
        {
            Throw(nameof(CircuitBreakerOptions.InitialState), options.InitialState, "a defined CircuitBreakerState");
        }

        ExceptionTypes(options.RecordExceptions, nameof(CircuitBreakerOptions.RecordExceptions));
        ExceptionTypes(options.IgnoreExceptions, nameof(CircuitBreakerOptions.IgnoreExceptions));
    }

    private const int CountWindowMax = Internal.CountWindow.MaxSize;

    private static void Percent(float value, string name)
    {
        if (!(value > 0f && value <= 100f))
        {
            Throw(name, value, "greater than 0 and at most 100 (percent)");
        }
    }

    private static void Range(int value, int min, int max, string name, string unit = "")
    {
        if (value < min || value > max)
        {
            string range = max == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"at least {min}{unit}")
                : string.Create(CultureInfo.InvariantCulture, $"from {min} to {max:N0}{unit}");
            Throw(name, value, range);
        }
    }

    private static void Wait(TimeSpan value, string name, string prefix)
    {
        if (value < CircuitBreakerConstants.MinimumWait || value > CircuitBreakerConstants.MaximumWait)
        {
            Throw(name, value, prefix + "from 1 ms to " + CircuitBreakerConstants.MaximumWait.ToString("c", CultureInfo.InvariantCulture));
        }
    }

    private static void ExceptionTypes(IList<Type> types, string name)
    {
        foreach (Type? type in types)
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                Throw(name, type?.FullName ?? "null", "exception types (System.Exception or a subclass)");
            }
        }
    }

    private static void Throw(string name, object value, string range) =>
        throw new ArgumentOutOfRangeException(
            name,
            value,
            string.Create(CultureInfo.InvariantCulture, $"CircuitBreakerOptions.{name} is {Format(value)}, but it must be {range}."));

    private static string Format(object value) => value switch
    {
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
