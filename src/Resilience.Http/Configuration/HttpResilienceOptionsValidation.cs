using Microsoft.Extensions.Options;
using Resilience.DependencyInjection;
using Resilience.Http.DependencyInjection;

namespace Resilience.Http.Configuration;

#pragma warning disable CA2208 // The parameter name is the option's name, as in the primitives' own validators.

/// <summary>Validates options at host start with the primitives' own rules, plus the HTTP settings.</summary>
internal static class HttpResilienceOptionsValidation
{
    public static void Validate(HttpCircuitBreakerOptions options)
    {
        var problems = new List<string>();
        Collect(problems, null, options.Validate);
        StatusCodes(problems, options.FailureStatusCodes, nameof(HttpCircuitBreakerOptions));
        GrpcStatusCodes(problems, options.FailureGrpcStatusCodes, nameof(HttpCircuitBreakerOptions));
        if (options.AuthorityIdleTimeout < HttpResilienceConstants.MinimumAuthorityIdleTimeout || options.AuthorityIdleTimeout > HttpResilienceConstants.MaximumWait)
        {
            problems.Add($"{nameof(HttpCircuitBreakerOptions)}.{nameof(HttpCircuitBreakerOptions.AuthorityIdleTimeout)} is {DurationText.Format(options.AuthorityIdleTimeout)}, but it must be from 1 s to {DurationText.Format(HttpResilienceConstants.MaximumWait)}.");
        }

        ThrowIfAny(problems);
    }

    public static void Validate(HttpRetryOptions options)
    {
        var problems = new List<string>();
        Collect(problems, null, options.Validate);
        StatusCodes(problems, options.FailureStatusCodes, nameof(HttpRetryOptions));
        GrpcStatusCodes(problems, options.FailureGrpcStatusCodes, nameof(HttpRetryOptions));
        if (options.MaxRetryAfterDelay < TimeSpan.Zero || options.MaxRetryAfterDelay > HttpResilienceConstants.MaximumWait)
        {
            problems.Add($"{nameof(HttpRetryOptions)}.{nameof(HttpRetryOptions.MaxRetryAfterDelay)} is {DurationText.Format(options.MaxRetryAfterDelay)}, but it must be from 0 to {DurationText.Format(HttpResilienceConstants.MaximumWait)}.");
        }

        ThrowIfAny(problems);
    }

    /// <summary>Validates every layer of the standard composition; each problem starts with the layer's property, such as <c>Retry: RetryOptions.MaxAttempts is 0, …</c>.</summary>
    public static void Validate(HttpResilienceOptions options)
    {
        var problems = new List<string>();
        Collect(problems, nameof(HttpResilienceOptions.RateLimiter), options.RateLimiter is { } rateLimiter ? rateLimiter.Validate : null);
        Collect(problems, nameof(HttpResilienceOptions.TotalTimeLimiter), options.TotalTimeLimiter is { } total ? total.Validate : null);
        Collect(problems, nameof(HttpResilienceOptions.Retry), options.Retry is { } retry ? () => Validate(retry) : null);
        Collect(problems, nameof(HttpResilienceOptions.CircuitBreaker), options.CircuitBreaker is { } breaker ? () => Validate(breaker) : null);
        Collect(problems, nameof(HttpResilienceOptions.Bulkhead), options.Bulkhead is { } bulkhead ? bulkhead.Validate : null);
        Collect(problems, nameof(HttpResilienceOptions.AttemptTimeLimiter), options.AttemptTimeLimiter is { } attempt ? attempt.Validate : null);
        ThrowIfAny(problems);
    }

    /// <summary>Runs a validation and adds each problem it reports (one a line), after <paramref name="layer"/> when there is one.</summary>
    private static void Collect(List<string> problems, string? layer, Action? validate)
    {
        try
        {
            validate?.Invoke();
        }
        catch (ArgumentException ex)
        {
            foreach (string line in ResilienceConfiguration.GetValidationMessage(ex).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                problems.Add(layer is null ? line : $"{layer}: {line}");
            }
        }
    }

    /// <summary>Throws every problem at once, one a line, as the primitives' validators do.</summary>
    private static void ThrowIfAny(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join('\n', problems));
        }
    }

    private static void StatusCodes(List<string> problems, IList<int>? codes, string owner)
    {
        foreach (int code in codes ?? [])
        {
            if (code is < 100 or > 599)
            {
                problems.Add($"{owner}.FailureStatusCodes contains {code}, but every code must be between 100 and 599.");
            }
        }
    }

    private static void GrpcStatusCodes(List<string> problems, IList<int>? codes, string owner)
    {
        foreach (int code in codes ?? [])
        {
            if (code is < 1 or > GrpcStatus.MaxCode)
            {
                problems.Add($"{owner}.{nameof(HttpRetryOptions.FailureGrpcStatusCodes)} contains {code}, but every code must be between 1 (CANCELLED) and 16 (UNAUTHENTICATED).");
            }
        }
    }
}

/// <summary>Runs a validation delegate for the named options of the resilience registrations.</summary>
/// <remarks>Used when options are set by code: every problem is reported, one a line, naming the client, the instance and the options property.</remarks>
internal sealed class DelegateOptionsValidator<TOptions>(OptionsScope scope, Action<TOptions> validate) : IValidateOptions<TOptions>, INamedOptionsValidator
    where TOptions : class
{
    /// <inheritdoc/>
    public string Name => scope.Key;

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (!scope.Matches(name))
        {
            return ValidateOptionsResult.Skip;
        }

        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            // Every problem, one a line, each naming the client (and the instance of a primitive added on its own).
            string client = scope.ClientOf(name ?? Options.DefaultName);
            string owner = client.Length == 0 && scope.Client is null ? "every HTTP client" : $"HTTP client '{client}'";
            owner += scope.Suffix.Length == 0 ? string.Empty : $", instance '{scope.Suffix[1..]}'";
            return ValidateOptionsResult.Fail(ResilienceConfiguration.GetValidationMessage(ex)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => $"{owner}: {line}"));
        }
    }
}
