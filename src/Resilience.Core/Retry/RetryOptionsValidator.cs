using Resilience.Internal;

namespace Resilience;

/// <summary>Validates <see cref="RetryOptions"/>; every problem is reported, one a line, naming the option, the value and the valid range.</summary>
internal static class RetryOptionsValidator
{
    public static void Validate(RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new OptionsProblems(nameof(RetryOptions));
        if (options.MaxAttempts < 1)
        {
            problems.Add(nameof(RetryOptions.MaxAttempts), options.MaxAttempts, "at least 1");
        }

        if (options.WaitDuration < TimeSpan.Zero || options.WaitDuration > RetryConstants.MaximumWait)
        {
            problems.Add(nameof(RetryOptions.WaitDuration), options.WaitDuration, "from 0 to " + DurationText.Format(RetryConstants.MaximumWait));
        }

        if (!Enum.IsDefined(options.BackoffType))
        {
            problems.Add(nameof(RetryOptions.BackoffType), options.BackoffType, "Constant, Exponential, ExponentialRandom, Randomized or DecorrelatedJitter");
        }

        if (!(options.Multiplier >= 1.0 && double.IsFinite(options.Multiplier)))
        {
            problems.Add(nameof(RetryOptions.Multiplier), options.Multiplier, "a finite number of at least 1");
        }

        if (!(options.RandomizationFactor >= 0.0 && options.RandomizationFactor <= 1.0))
        {
            problems.Add(nameof(RetryOptions.RandomizationFactor), options.RandomizationFactor, "from 0 to 1");
        }

        if (options.MaxWaitDuration is { } max && (max < RetryConstants.MinimumMaxWait || max > RetryConstants.MaximumWait))
        {
            problems.Add(nameof(RetryOptions.MaxWaitDuration), max, "null (no cap) or from 1 ms to " + DurationText.Format(RetryConstants.MaximumWait));
        }

        ExceptionTypes(problems, options.RetryExceptions, nameof(RetryOptions.RetryExceptions));
        ExceptionTypes(problems, options.IgnoreExceptions, nameof(RetryOptions.IgnoreExceptions));
        problems.ThrowIfAny();
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
