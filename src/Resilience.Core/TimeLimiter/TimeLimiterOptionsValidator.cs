using Resilience.Internal;

namespace Resilience;

/// <summary>Validates <see cref="TimeLimiterOptions"/>; the message names the option, the value and the valid range.</summary>
internal static class TimeLimiterOptionsValidator
{
    public static void Validate(TimeLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TimeSpan timeout = options.TimeoutDuration;
        if (timeout != Timeout.InfiniteTimeSpan
            && (timeout < TimeLimiterConstants.MinimumTimeout || timeout > TimeLimiterConstants.MaximumTimeout))
        {
            var problems = new OptionsProblems(nameof(TimeLimiterOptions));
            problems.Add(nameof(TimeLimiterOptions.TimeoutDuration), timeout, "from 1 ms to " + DurationText.Format(TimeLimiterConstants.MaximumTimeout) + ", or Timeout.InfiniteTimeSpan (no timeout)");
            problems.ThrowIfAny();
        }
    }
}
