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
        options.Validate();
        ValidateStatusCodes(options.FailureStatusCodes, nameof(HttpCircuitBreakerOptions));
        if (options.AuthorityIdleTimeout < HttpResilienceConstants.MinimumAuthorityIdleTimeout || options.AuthorityIdleTimeout > HttpResilienceConstants.MaximumWait)
        {
            throw new ArgumentOutOfRangeException(
                nameof(HttpCircuitBreakerOptions.AuthorityIdleTimeout),
                $"{nameof(HttpCircuitBreakerOptions)}.{nameof(HttpCircuitBreakerOptions.AuthorityIdleTimeout)} is {options.AuthorityIdleTimeout}, but it must be between 00:00:01 and {HttpResilienceConstants.MaximumWait}.");
        }
    }

    public static void Validate(HttpRetryOptions options)
    {
        options.Validate();
        ValidateStatusCodes(options.FailureStatusCodes, nameof(HttpRetryOptions));
        if (options.MaxRetryAfterDelay < TimeSpan.Zero || options.MaxRetryAfterDelay > HttpResilienceConstants.MaximumWait)
        {
            throw new ArgumentOutOfRangeException(
                nameof(HttpRetryOptions.MaxRetryAfterDelay),
                $"{nameof(HttpRetryOptions)}.{nameof(HttpRetryOptions.MaxRetryAfterDelay)} is {options.MaxRetryAfterDelay}, but it must be between 00:00:00 and {HttpResilienceConstants.MaximumWait}.");
        }
    }

    public static void Validate(HttpResilienceOptions options)
    {
        if (options.RateLimiter is { } rateLimiter)
        {
            rateLimiter.Validate();
        }

        if (options.TotalTimeLimiter is { } total)
        {
            total.Validate();
        }

        if (options.Retry is { } retry)
        {
            Validate(retry);
        }

        if (options.CircuitBreaker is { } breaker)
        {
            Validate(breaker);
        }

        if (options.Bulkhead is { } bulkhead)
        {
            bulkhead.Validate();
        }

        if (options.AttemptTimeLimiter is { } attempt)
        {
            attempt.Validate();
        }
    }

    private static void ValidateStatusCodes(IList<int>? codes, string owner)
    {
        if (codes is null)
        {
            return;
        }

        foreach (int code in codes)
        {
            if (code is < 100 or > 599)
            {
                throw new ArgumentOutOfRangeException("FailureStatusCodes", $"{owner}.FailureStatusCodes contains {code}, but every code must be between 100 and 599.");
            }
        }
    }
}

/// <summary>Runs a validation delegate for the named options of the resilience registrations.</summary>
/// <remarks>Used when options are set by code: messages name the options property, as the primitives' validators do.</remarks>
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
            return ValidateOptionsResult.Fail(ResilienceConfiguration.GetValidationMessage(ex));
        }
    }
}
