using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace Resilience.Http.Configuration;

/// <summary>
/// Binds options from configuration in Resilience4j's shape: <c>{Primitive}:Configs:{name}:…</c> holds shared
/// configurations, and <c>{Primitive}:Instances:{instance}:…</c> holds an instance's settings, with
/// <c>BaseConfig</c> naming the configuration it starts from. An instance without <c>BaseConfig</c> starts from the
/// configuration named <c>default</c> when there is one, as Resilience4j's Spring Boot starter does. Settings of the
/// instance override those of its base; a base names no further base.
/// </summary>
internal static class ResilienceConfiguration
{
    public const string CircuitBreaker = "CircuitBreaker";
    public const string Retry = "Retry";
    public const string TimeLimiter = "TimeLimiter";
    public const string Bulkhead = "Bulkhead";
    public const string RateLimiter = "RateLimiter";
    public const string ThreadPoolBulkhead = "ThreadPoolBulkhead";
    public const string Configs = "Configs";
    public const string Instances = "Instances";
    public const string BaseConfig = "BaseConfig";
    public const string DefaultConfig = "default";

    /// <summary>Gets the section of an instance.</summary>
    public static IConfigurationSection InstanceSection(IConfiguration root, string primitive, string instanceName) =>
        root.GetSection(primitive).GetSection(Instances).GetSection(instanceName);

    /// <summary>Whether the instance has a section of its own.</summary>
    public static bool HasInstance(IConfiguration root, string primitive, string instanceName) =>
        InstanceSection(root, primitive, instanceName).Exists();

    /// <summary>Gets the configuration an instance starts from: its <c>BaseConfig</c>, or <c>default</c> if present, or none.</summary>
    public static IConfigurationSection? BaseSection(IConfiguration root, string primitive, string instanceName)
    {
        IConfigurationSection configs = root.GetSection(primitive).GetSection(Configs);
        string? baseName = InstanceSection(root, primitive, instanceName)[BaseConfig];
        if (!string.IsNullOrEmpty(baseName))
        {
            return configs.GetSection(baseName);
        }

        IConfigurationSection fallback = configs.GetSection(DefaultConfig);
        return fallback.Exists() ? fallback : null;
    }

    public static void Bind(IConfiguration root, string instanceName, HttpCircuitBreakerOptions options) =>
        BindLayered(root, CircuitBreaker, instanceName, section => section.Bind(options));

    public static void Bind(IConfiguration root, string instanceName, HttpRetryOptions options) =>
        BindLayered(root, Retry, instanceName, section => section.Bind(options));

    public static void Bind(IConfiguration root, string instanceName, TimeLimiterOptions options) =>
        BindLayered(root, TimeLimiter, instanceName, section => section.Bind(options));

    public static void Bind(IConfiguration root, string instanceName, BulkheadOptions options) =>
        BindLayered(root, Bulkhead, instanceName, section => section.Bind(options));

    public static void Bind(IConfiguration root, string instanceName, RequestRateLimiterOptions options) =>
        BindLayered(root, RateLimiter, instanceName, section => section.Bind(options));

    /// <summary>Binds a thread pool bulkhead; there is no HTTP handler for it, but its configuration has the same shape.</summary>
    public static void Bind(IConfiguration root, string instanceName, ThreadPoolBulkheadOptions options) =>
        BindLayered(root, ThreadPoolBulkhead, instanceName, section => section.Bind(options));

    /// <summary>
    /// Runs <paramref name="bind"/> and records a value the binder could not convert instead of throwing, so that
    /// the validator reports it, with the other problems of the configuration, as an options validation failure.
    /// </summary>
    public static void BindRecordingErrors(Action bind, BindingErrors errors, string optionsName)
    {
        try
        {
            bind();
            errors.Set(optionsName, null);
        }
        catch (InvalidOperationException ex)
        {
            errors.Set(optionsName, ex.Message);
        }
    }

    private static void BindLayered(IConfiguration root, string primitive, string instanceName, Action<IConfigurationSection> bind)
    {
        if (BaseSection(root, primitive, instanceName) is { } baseSection)
        {
            bind(baseSection);
        }

        bind(InstanceSection(root, primitive, instanceName));
    }

    /// <summary>
    /// Binds the standard composition of <paramref name="clientName"/>: each layer binds the instance named after the
    /// client (the total time limit binds <c>{client}-total</c>). The rate limiter and the bulkhead are added when
    /// their instance section exists.
    /// </summary>
    public static void BindComposite(IConfiguration root, string clientName, HttpResilienceOptions options)
    {
        if (HasInstance(root, RateLimiter, clientName))
        {
            options.RateLimiter ??= new RequestRateLimiterOptions();
            Bind(root, clientName, options.RateLimiter);
        }

        if (options.TotalTimeLimiter is not null)
        {
            Bind(root, clientName + HttpResilienceConstants.TotalTimeLimiterSuffix, options.TotalTimeLimiter);
        }

        if (options.Retry is not null)
        {
            Bind(root, clientName, options.Retry);
        }

        if (options.CircuitBreaker is not null)
        {
            Bind(root, clientName, options.CircuitBreaker);
        }

        if (HasInstance(root, Bulkhead, clientName))
        {
            options.Bulkhead ??= new BulkheadOptions();
            Bind(root, clientName, options.Bulkhead);
        }

        if (options.AttemptTimeLimiter is not null)
        {
            Bind(root, clientName, options.AttemptTimeLimiter);
        }
    }
}

/// <summary>The last conversion error of the binder for each options name of one registration, reported by its validator.</summary>
internal sealed class BindingErrors
{
    // Per options name: a registration for every client binds each client's options separately, possibly at once.
    private readonly ConcurrentDictionary<string, string> _messages = new(StringComparer.Ordinal);

    /// <summary>Gets the binder's message for the options named <paramref name="optionsName"/>, or <see langword="null"/> when their last binding succeeded.</summary>
    public string? Get(string optionsName) => _messages.TryGetValue(optionsName, out string? message) ? message : null;

    /// <summary>Records the outcome of the last binding of the options named <paramref name="optionsName"/>.</summary>
    public void Set(string optionsName, string? message)
    {
        if (message is null)
        {
            _messages.TryRemove(optionsName, out _);
        }
        else
        {
            _messages[optionsName] = message;
        }
    }
}

