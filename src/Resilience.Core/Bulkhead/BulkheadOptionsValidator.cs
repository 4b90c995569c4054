using Resilience.Internal;

namespace Resilience;

/// <summary>Validates <see cref="BulkheadOptions"/>; every problem is reported, one a line, naming the option, the value and the valid range.</summary>
internal static class BulkheadOptionsValidator
{
    public static void Validate(BulkheadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(nameof(BulkheadOptions));
        MaxConcurrentCalls(problems, options.MaxConcurrentCalls, nameof(BulkheadOptions.MaxConcurrentCalls));
        if (options.MaxWaitDuration < TimeSpan.Zero || options.MaxWaitDuration > BulkheadConstants.MaximumWait)
        {
            problems.Add(nameof(BulkheadOptions.MaxWaitDuration), options.MaxWaitDuration, "from 0 to " + DurationText.Format(BulkheadConstants.MaximumWait));
        }

        problems.ThrowIfAny();
    }

    /// <summary>Checks a limit for the constructor or for <see cref="Bulkhead.ChangeMaxConcurrentCalls"/>.</summary>
    public static void ValidateMaxConcurrentCalls(int value, string parameterName)
    {
        var problems = new OptionsProblems(nameof(BulkheadOptions));
        MaxConcurrentCalls(problems, value, parameterName);
        problems.ThrowIfAny();
    }

    private static void MaxConcurrentCalls(OptionsProblems problems, int value, string parameterName)
    {
        if (value < 0)
        {
            problems.Add(nameof(BulkheadOptions.MaxConcurrentCalls), value, "at least 0", parameterName);
        }
    }
}
