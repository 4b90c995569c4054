using System.Globalization;

namespace Resilience;

/// <summary>Validates <see cref="RetryOptions"/>; every message names the option, the value and the valid range.</summary>
internal static class RetryOptionsValidator
{
    public static void Validate(RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxAttempts < 1)
        {
            Throw(nameof(RetryOptions.MaxAttempts), options.MaxAttempts, "at least 1");
        }

        if (options.WaitDuration < TimeSpan.Zero || options.WaitDuration > RetryConstants.MaximumWait)
        {
            Throw(nameof(RetryOptions.WaitDuration), options.WaitDuration, "from 0 to " + Format(RetryConstants.MaximumWait));
        }

        if (!Enum.IsDefined(options.BackoffType))
        {
            Throw(nameof(RetryOptions.BackoffType), options.BackoffType, "Constant, Exponential, ExponentialRandom, Randomized or DecorrelatedJitter");
        }

        if (!(options.Multiplier >= 1.0 && double.IsFinite(options.Multiplier)))
        {
            Throw(nameof(RetryOptions.Multiplier), options.Multiplier, "a finite number of at least 1");
        }

        if (!(options.RandomizationFactor >= 0.0 && options.RandomizationFactor <= 1.0))
        {
            Throw(nameof(RetryOptions.RandomizationFactor), options.RandomizationFactor, "from 0 to 1");
        }

        if (options.MaxWaitDuration is { } max && (max < RetryConstants.MinimumMaxWait || max > RetryConstants.MaximumWait))
        {
            Throw(nameof(RetryOptions.MaxWaitDuration), max, "null (no cap) or from 1 ms to " + Format(RetryConstants.MaximumWait));
        }

        ExceptionTypes(options.RetryExceptions, nameof(RetryOptions.RetryExceptions));
        ExceptionTypes(options.IgnoreExceptions, nameof(RetryOptions.IgnoreExceptions));
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
            string.Create(CultureInfo.InvariantCulture, $"RetryOptions.{name} is {Format(value)}, but it must be {range}."));

    private static string Format(object value) => value switch
    {
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
