using System.Globalization;

namespace Resilience;

/// <summary>Validates <see cref="ThreadPoolBulkheadOptions"/>; every message names the option, the value and the valid range.</summary>
internal static class ThreadPoolBulkheadOptionsValidator
{
    public static void Validate(ThreadPoolBulkheadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Range(options.CoreThreadPoolSize, 1, ThreadPoolBulkheadConstants.MaxThreads, nameof(ThreadPoolBulkheadOptions.CoreThreadPoolSize));
        Range(options.MaxThreadPoolSize, 1, ThreadPoolBulkheadConstants.MaxThreads, nameof(ThreadPoolBulkheadOptions.MaxThreadPoolSize));
        Range(options.QueueCapacity, 0, int.MaxValue, nameof(ThreadPoolBulkheadOptions.QueueCapacity));
        if (options.KeepAliveDuration < TimeSpan.Zero || options.KeepAliveDuration > ThreadPoolBulkheadConstants.MaximumKeepAliveDuration)
        {
            Throw(nameof(ThreadPoolBulkheadOptions.KeepAliveDuration), options.KeepAliveDuration, "from 0 to " + Format(ThreadPoolBulkheadConstants.MaximumKeepAliveDuration));
        }

        if (options.MaxThreadPoolSize < options.CoreThreadPoolSize)
        {
            // A rule across two fields: ArgumentException, as the brief of every options validator says.
            throw new ArgumentException(
                Message(
                    nameof(ThreadPoolBulkheadOptions.MaxThreadPoolSize),
                    options.MaxThreadPoolSize,
                    string.Create(CultureInfo.InvariantCulture, $"at least {nameof(ThreadPoolBulkheadOptions.CoreThreadPoolSize)} ({options.CoreThreadPoolSize})")),
                nameof(options));
        }
    }

    private static void Range(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            string range = max == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"at least {min}")
                : string.Create(CultureInfo.InvariantCulture, $"from {min} to {max:N0}");
            Throw(name, value, range);
        }
    }

    private static void Throw(string name, object value, string range) =>
        throw new ArgumentOutOfRangeException(name, value, Message(name, value, range));

    private static string Message(string name, object value, string range) =>
        string.Create(CultureInfo.InvariantCulture, $"ThreadPoolBulkheadOptions.{name} is {Format(value)}, but it must be {range}.");

    private static string Format(object value) => value switch
    {
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
