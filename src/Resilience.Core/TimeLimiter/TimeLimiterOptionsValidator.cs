using System.Globalization;

namespace Resilience;

/// <summary>Validates <see cref="TimeLimiterOptions"/>; every message names the option, the value and the valid range.</summary>
internal static class TimeLimiterOptionsValidator
{
    public static void Validate(TimeLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TimeSpan timeout = options.TimeoutDuration;
        if (timeout != Timeout.InfiniteTimeSpan
            && (timeout < TimeLimiterConstants.MinimumTimeout || timeout > TimeLimiterConstants.MaximumTimeout))
        {
            string name = nameof(TimeLimiterOptions.TimeoutDuration);
            string range = "from 1 ms to " + Format(TimeLimiterConstants.MaximumTimeout) + ", or Timeout.InfiniteTimeSpan (no timeout)";
            throw new ArgumentOutOfRangeException(
                name,
                timeout,
                string.Create(CultureInfo.InvariantCulture, $"TimeLimiterOptions.{name} is {Format(timeout)}, but it must be {range}."));
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
