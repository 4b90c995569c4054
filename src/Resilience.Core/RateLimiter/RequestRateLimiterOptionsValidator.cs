using Resilience.Internal;

namespace Resilience;

/// <summary>Validates <see cref="RequestRateLimiterOptions"/>; every problem is reported, one a line, naming the option, the value and the valid range.</summary>
internal static class RequestRateLimiterOptionsValidator
{
    public static void Validate(RequestRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(nameof(RequestRateLimiterOptions));
        LimitForPeriod(problems, options.LimitForPeriod);
        TimeSpan period = options.LimitRefreshPeriod;
        if (period < RequestRateLimiterConstants.MinimumLimitRefreshPeriod || period > RequestRateLimiterConstants.MaximumDuration)
        {
            problems.Add(nameof(RequestRateLimiterOptions.LimitRefreshPeriod), period, "from 100 ns (one tick) to " + DurationText.Format(RequestRateLimiterConstants.MaximumDuration));
        }

        TimeoutDuration(problems, options.TimeoutDuration);
        problems.ThrowIfAny();
    }

    public static void ValidateLimitForPeriod(int value)
    {
        var problems = new OptionsProblems(nameof(RequestRateLimiterOptions));
        LimitForPeriod(problems, value);
        problems.ThrowIfAny();
    }

    public static void ValidateTimeoutDuration(TimeSpan value)
    {
        var problems = new OptionsProblems(nameof(RequestRateLimiterOptions));
        TimeoutDuration(problems, value);
        problems.ThrowIfAny();
    }

    private static void LimitForPeriod(OptionsProblems problems, int value)
    {
        if (value < 1)
        {
            problems.Add(nameof(RequestRateLimiterOptions.LimitForPeriod), value, "at least 1");
        }
    }

    private static void TimeoutDuration(OptionsProblems problems, TimeSpan value)
    {
        if (value < TimeSpan.Zero || value > RequestRateLimiterConstants.MaximumDuration)
        {
            problems.Add(nameof(RequestRateLimiterOptions.TimeoutDuration), value, "from zero to " + DurationText.Format(RequestRateLimiterConstants.MaximumDuration));
        }
    }
}
