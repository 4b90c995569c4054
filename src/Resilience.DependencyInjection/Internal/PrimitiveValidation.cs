namespace Resilience.DependencyInjection;

/// <summary>
/// The primitives' own validation of their options, reached through Core's public API: a registry's constructor
/// validates its default options and throws the validator's <see cref="ArgumentException"/>, whose message names the
/// option, the value and the valid range.
/// </summary>
/// <remarks>At start and on reloads only. A registry without instances holds nothing but two empty dictionaries.</remarks>
internal static class PrimitiveValidation
{
    public static void Validate(CircuitBreakerOptions options) => _ = new CircuitBreakerRegistry(options);

    public static void Validate(RetryOptions options) => _ = new RetryRegistry(options);

    public static void Validate(TimeLimiterOptions options) => _ = new TimeLimiterRegistry(options);

    public static void Validate(BulkheadOptions options) => _ = new BulkheadRegistry(options);

    public static void Validate(ThreadPoolBulkheadOptions options) => new ThreadPoolBulkheadRegistry(options).Dispose();

    public static void Validate(RequestRateLimiterOptions options) => _ = new RequestRateLimiterRegistry(options);
}
