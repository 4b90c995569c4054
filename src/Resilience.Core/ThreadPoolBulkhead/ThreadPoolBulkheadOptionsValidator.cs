using System.Globalization;
using Resilience.Internal;

namespace Resilience;

/// <summary>Validates <see cref="ThreadPoolBulkheadOptions"/>; every problem is reported, one a line, naming the option, the value and the valid range.</summary>
internal static class ThreadPoolBulkheadOptionsValidator
{
    public static void Validate(ThreadPoolBulkheadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(nameof(ThreadPoolBulkheadOptions));
        Range(problems, options.CoreThreadPoolSize, 1, ThreadPoolBulkheadConstants.MaxThreads, nameof(ThreadPoolBulkheadOptions.CoreThreadPoolSize));
        Range(problems, options.MaxThreadPoolSize, 1, ThreadPoolBulkheadConstants.MaxThreads, nameof(ThreadPoolBulkheadOptions.MaxThreadPoolSize));
        Range(problems, options.QueueCapacity, 0, int.MaxValue, nameof(ThreadPoolBulkheadOptions.QueueCapacity));
        if (options.KeepAliveDuration < TimeSpan.Zero || options.KeepAliveDuration > ThreadPoolBulkheadConstants.MaximumKeepAliveDuration)
        {
            problems.Add(nameof(ThreadPoolBulkheadOptions.KeepAliveDuration), options.KeepAliveDuration, "from 0 to " + DurationText.Format(ThreadPoolBulkheadConstants.MaximumKeepAliveDuration));
        }

        if (options.MaxThreadPoolSize < options.CoreThreadPoolSize)
        {
            // A rule across two fields: ArgumentException, as the brief of every options validator says.
            problems.AddRule(
                nameof(ThreadPoolBulkheadOptions.MaxThreadPoolSize),
                options.MaxThreadPoolSize,
                string.Create(CultureInfo.InvariantCulture, $"at least {nameof(ThreadPoolBulkheadOptions.CoreThreadPoolSize)} ({options.CoreThreadPoolSize})"),
                nameof(options));
        }

        problems.ThrowIfAny();
    }

    private static void Range(OptionsProblems problems, int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            string range = max == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"at least {min}")
                : string.Create(CultureInfo.InvariantCulture, $"from {min} to {max:N0}");
            problems.Add(name, value, range);
        }
    }
}
