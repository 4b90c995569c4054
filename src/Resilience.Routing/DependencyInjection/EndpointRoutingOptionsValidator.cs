using System.Globalization;
using Microsoft.Extensions.Options;
using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;

namespace Resilience.Routing.DependencyInjection;

/// <summary>
/// Validates each routed client's <see cref="EndpointRoutingOptions"/> at start: every problem at once, each message
/// naming the full configuration key (such as <c>Routing:inventory:ChoiceCount</c>), the value and the valid range, and
/// the policy names: known, and not shared by two policies.
/// </summary>
internal sealed class EndpointRoutingOptionsValidator(IOptions<EndpointRoutingClients> clients, IEnumerable<ILoadBalancingPolicy> custom)
    : IValidateOptions<EndpointRoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, EndpointRoutingOptions options)
    {
        if (name is null || !clients.Value.KeyPrefixes.TryGetValue(name, out string? prefix))
        {
            return ValidateOptionsResult.Skip;
        }

        List<string> errors = GetErrors(options, prefix, custom);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> GetErrors(EndpointRoutingOptions options, string prefix, IEnumerable<ILoadBalancingPolicy> custom)
    {
        var errors = new List<string>();
        string[] builtIn = LoadBalancingPolicyFactory.BuiltInNames;
        string[] names = [.. builtIn, .. custom.Select(static p => p.Name)];
        foreach (IGrouping<string, string> shared in names.GroupBy(static n => n, StringComparer.OrdinalIgnoreCase).Where(static g => g.Count() > 1))
        {
            errors.Add($"The load-balancing policy name '{shared.Key}' is used by {shared.Count()} policies, but each name must be unique (case-insensitively).");
        }

        if (!names.Contains(options.Policy, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{prefix}{nameof(EndpointRoutingOptions.Policy)} is '{options.Policy}', but it must be one of {string.Join(", ", names)}.");
        }

        bool hashed = string.Equals(options.Policy, LoadBalancingPolicies.RingHash, StringComparison.OrdinalIgnoreCase)
            || string.Equals(options.Policy, LoadBalancingPolicies.Maglev, StringComparison.OrdinalIgnoreCase);
        bool header = !string.IsNullOrEmpty(options.HashHeader);
        bool property = !string.IsNullOrEmpty(options.HashProperty);
        if (hashed && header == property)
        {
            errors.Add($"{prefix}{nameof(EndpointRoutingOptions.HashHeader)} and {prefix}{nameof(EndpointRoutingOptions.HashProperty)} are {(header ? "both set" : "both empty")}, but {options.Policy} needs exactly one of them as its hash key.");
        }

        Range(errors, prefix, nameof(EndpointRoutingOptions.ChoiceCount), options.ChoiceCount, 2, EndpointRoutingConstants.MaxChoiceCount);
        if (!double.IsFinite(options.ActiveRequestBias) || options.ActiveRequestBias < 0)
        {
            errors.Add(Text($"{prefix}{nameof(EndpointRoutingOptions.ActiveRequestBias)} is {options.ActiveRequestBias}, but it must be a finite number of 0 or more."));
        }

        Range(errors, prefix, nameof(EndpointRoutingOptions.MinimumRingSize), options.MinimumRingSize, 1, EndpointRoutingConstants.MaxRingSize);
        Range(errors, prefix, nameof(EndpointRoutingOptions.MaximumRingSize), options.MaximumRingSize, Math.Max(1, options.MinimumRingSize), EndpointRoutingConstants.MaxRingSize);
        int table = options.MaglevTableSize;
        if (table < 2 || table > EndpointRoutingConstants.MaxMaglevTableSize || !IsPrime(table))
        {
            errors.Add(Text($"{prefix}{nameof(EndpointRoutingOptions.MaglevTableSize)} is {table}, but it must be a prime from 2 to {EndpointRoutingConstants.MaxMaglevTableSize}, such as {EndpointRoutingConstants.DefaultMaglevTableSize}."));
        }

        if (options.AttemptTimeout is { } attemptTimeout && attemptTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}{nameof(EndpointRoutingOptions.AttemptTimeout)} is {DurationText.Format(attemptTimeout)}, but it must be above 0 (or absent: no per-attempt limit).");
        }

        if (options.SlowStartWindow < TimeSpan.Zero)
        {
            errors.Add($"{prefix}{nameof(EndpointRoutingOptions.SlowStartWindow)} is {DurationText.Format(options.SlowStartWindow)}, but it must be 0 (no slow start) or more.");
        }

        if (!double.IsFinite(options.SlowStartAggression) || options.SlowStartAggression <= 0)
        {
            errors.Add(Text($"{prefix}{nameof(EndpointRoutingOptions.SlowStartAggression)} is {options.SlowStartAggression}, but it must be a finite number above 0."));
        }

        if (!(options.SlowStartMinWeightPercent is >= 0 and <= 100))
        {
            errors.Add(Text($"{prefix}{nameof(EndpointRoutingOptions.SlowStartMinWeightPercent)} is {options.SlowStartMinWeightPercent}, but it must be from 0 to 100."));
        }

        if (options.MaxConnections is int connections)
        {
            Range(errors, prefix, nameof(EndpointRoutingOptions.MaxConnections), connections, 1, int.MaxValue);
        }

        if (options.MaxRequests is int requests)
        {
            Range(errors, prefix, nameof(EndpointRoutingOptions.MaxRequests), requests, 1, int.MaxValue - 1);
        }

        if (options.MaxPendingRequests is int pending)
        {
            Range(errors, prefix, nameof(EndpointRoutingOptions.MaxPendingRequests), pending, 0, int.MaxValue - 1);
            if (options.MaxRequests is null)
            {
                errors.Add($"{prefix}{nameof(EndpointRoutingOptions.MaxPendingRequests)} is set, but requests wait only for {prefix}{nameof(EndpointRoutingOptions.MaxRequests)}, which is not.");
            }
        }

        Split.TrafficSplitValidator.AddErrors(options.Split, prefix, errors);
        if (options.OutlierDetection is OutlierDetectionOptions outliers)
        {
            errors.AddRange(OutlierDetectionOptionsValidator.GetErrors(outliers, $"{prefix}{nameof(EndpointRoutingOptions.OutlierDetection)}{Separator(prefix)}"));
        }

        if (options.RetryBudget is RetryBudgetOptions budget)
        {
            errors.AddRange(RetryBudgetOptionsValidator.GetErrors(budget, $"{prefix}{nameof(EndpointRoutingOptions.RetryBudget)}{Separator(prefix)}"));
        }

        return errors;
    }

    /// <summary>':' after a configuration path (<c>Routing:svc:</c>), '.' after a code prefix (<c>EndpointRoutingOptions[svc].</c>).</summary>
    private static string Separator(string prefix) => prefix.EndsWith(':') ? ":" : ".";

    private static void Range(List<string> errors, string prefix, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(Text($"{prefix}{key} is {value}, but it must be from {min} to {max}."));
        }
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static bool IsPrime(int value)
    {
        for (int d = 2; (long)d * d <= value; d++)
        {
            if (value % d == 0)
            {
                return false;
            }
        }

        return value >= 2;
    }
}
