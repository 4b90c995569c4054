using System.Globalization;
using Microsoft.Extensions.Options;

namespace Resilience.Routing.Internal;

/// <summary>
/// Validates <see cref="RetryBudgetOptions"/> at start: every problem at once, each message naming the full
/// configuration key (such as <c>Routing:RetryBudget:BudgetPercent</c>), the value and the valid range.
/// </summary>
internal sealed class RetryBudgetOptionsValidator : IValidateOptions<RetryBudgetOptions>
{
    /// <summary>The key prefix of options set in code: messages read "RetryBudgetOptions.BudgetPercent is …".</summary>
    public const string CodeKeyPrefix = nameof(RetryBudgetOptions) + ".";

    /// <summary>The shortest non-zero window: a slot is then 100 µs.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>Gets or sets what precedes an option's name in messages: a configuration path and ':' once a section is bound, such as <c>Routing:RetryBudget:</c>.</summary>
    public string KeyPrefix { get; set; } = CodeKeyPrefix;

    public ValidateOptionsResult Validate(string? name, RetryBudgetOptions options)
    {
        List<string> errors = GetErrors(options, KeyPrefix);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> GetErrors(RetryBudgetOptions options, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        double percent = options.BudgetPercent;
        if (!(percent >= 0 && percent <= 100))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{nameof(options.BudgetPercent)} is {percent}, but it must be a percentage from 0 to 100, such as {RetryBudgetConstants.DefaultBudgetPercent}."));
        }

        if (options.MinRetryConcurrency < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{nameof(options.MinRetryConcurrency)} is {options.MinRetryConcurrency}, but it must be at least 0."));
        }

        TimeSpan interval = options.Interval;
        if (interval != TimeSpan.Zero && (interval < MinimumInterval || interval > RetryBudgetConstants.MaximumInterval))
        {
            errors.Add($"{keyPrefix}{nameof(options.Interval)} is {DurationText.Format(interval)}, but it must be 0 (count the requests in flight) or from {DurationText.Format(MinimumInterval)} to {DurationText.Format(RetryBudgetConstants.MaximumInterval)}.");
        }

        return errors;
    }
}
