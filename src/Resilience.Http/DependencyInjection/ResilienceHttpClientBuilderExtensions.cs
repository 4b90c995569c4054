using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Resilience;
using Microsoft.Extensions.Options;
using Resilience.Http;
using Resilience.Http.Configuration;
using Resilience.Http.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds resilience handlers to an <see cref="IHttpClientBuilder"/>: the standard composition with
/// <c>AddResilience</c>, or one primitive at a time. Every method comes in three flavours: defaults, a
/// configuration section, and a delegate. Registering the same thing twice on a client adds it once.
/// </summary>
/// <remarks>
/// <para>A configuration section is the root of the Resilience4j-shaped configuration (usually
/// <c>configuration.GetSection("Resilience")</c>), with one section per primitive: <c>CircuitBreaker</c>,
/// <c>Retry</c>, <c>TimeLimiter</c>, <c>Bulkhead</c>, <c>RateLimiter</c> (and <c>ThreadPoolBulkhead</c>, which no
/// handler uses). Under each, <c>Configs:{name}</c> holds shared configurations and <c>Instances:{instance}</c> the
/// settings of an instance. An instance starts from the configuration its <c>BaseConfig</c> names or, without
/// <c>BaseConfig</c>, from <c>Configs:default</c> when it exists, as in Resilience4j's Spring Boot starter; its own
/// settings override those of its base. Setting names are the option property names, case-insensitive; durations
/// are <see cref="TimeSpan"/> strings such as <c>"00:00:05"</c>.</para>
/// <para>Options are validated when the host starts (<c>ValidateOnStart</c>). Every problem is reported, with the full
/// configuration key: a value out of range (at the key that holds it, in the instance or in its base
/// configuration), a value that does not convert, a key that is not a setting of the primitive, and a
/// <c>BaseConfig</c> that names no configuration. Options set by a delegate are reported by property name.</para>
/// <para>A configuration reload applies to new requests. A primitive whose options did not change is kept with its
/// state. A changed circuit breaker is replaced by one in the same state (open, half-open, forced open, disabled or
/// metrics-only), with empty window counts, or closed when its window type or size changed; per-authority breakers
/// start again, closed. A bulkhead or rate
/// limiter whose limit changed is changed in place; anything else is built anew and calls in flight finish on the
/// old one. A reload with an invalid value changes nothing: the last valid options and primitives stay until the
/// configuration is fixed (the options monitor raises the validation failure to the reload's caller).</para>
/// <para>Handlers added one at a time run in the order they are added, the first outermost.</para>
/// </remarks>
public static partial class ResilienceHttpClientBuilderExtensions
{
    /// <summary>Adds the standard composition with its defaults: total time limit 30 s, retry, circuit breaker, per-attempt time limit 10 s.</summary>
    /// <param name="builder">The client builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>The order of the layers is described on <see cref="HttpResilienceOptions"/>. The client's <see cref="HttpClient.Timeout"/> is set to infinite while the total time limit is on.</remarks>
    public static IHttpClientBuilder AddResilience(this IHttpClientBuilder builder) =>
        AddStandard(builder, static _ => { });

    /// <summary>Adds the standard composition, bound from configuration: each layer is the instance named after the client.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration, such as <c>configuration.GetSection("Resilience")</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// For a client named <c>inventory</c>: <c>CircuitBreaker:Instances:inventory</c>, <c>Retry:Instances:inventory</c>,
    /// <c>TimeLimiter:Instances:inventory</c> (per attempt), <c>TimeLimiter:Instances:inventory-total</c> (the whole
    /// call), and, when present, <c>RateLimiter:Instances:inventory</c> and <c>Bulkhead:Instances:inventory</c>. Each
    /// instance starts from its <c>BaseConfig</c> or <c>Configs:default</c>; the sections read are validated at start
    /// with the keys named in the messages, for example
    /// <c>Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).</c>
    /// A reload rebuilds only the layers whose options changed (see the class remarks for what is kept); a layer that a
    /// reload adds or removes (a rate limiter or bulkhead instance section) takes effect when <c>IHttpClientFactory</c>
    /// builds the client's next handlers.
    /// </remarks>
    public static IHttpClientBuilder AddResilience(this IHttpClientBuilder builder, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string client = builder?.Name!;
        var errors = new BindingErrors();
        AddStandard(builder!, options =>
        {
            options.Configure(o => ResilienceConfiguration.BindRecordingErrors(() => ResilienceConfiguration.BindComposite(configuration, client, o), errors));
            options.Services.AddSingleton<IOptionsChangeTokenSource<HttpResilienceOptions>>(new ConfigurationChangeTokenSource<HttpResilienceOptions>(client, configuration));
        });
        AddValidator(builder!.Services, client, new ConfigurationOptionsValidator<HttpResilienceOptions>(client, configuration, ConfigurationLayers.Composite(client), errors));
        return builder;
    }

    /// <summary>Adds the standard composition, configured by a delegate.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Configures the layers; set a layer to <see langword="null"/> to leave it out.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddResilience(this IHttpClientBuilder builder, Action<HttpResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddStandard(builder, options => options.Configure(configure));
    }

    private static IHttpClientBuilder AddStandard(IHttpClientBuilder builder, Action<OptionsBuilder<HttpResilienceOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string client = builder.Name;
        OptionsBuilder<HttpResilienceOptions> options = builder.Services.AddOptions<HttpResilienceOptions>(client);
        configureOptions(options);
        AddValidation<HttpResilienceOptions>(builder.Services, client, HttpResilienceOptionsValidation.Validate);
        builder.ConfigureHttpClient((services, http) =>
        {
            TimeLimiterOptions? total = services.GetRequiredService<LastGoodOptions>().Get(services.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>(), client).TotalTimeLimiter;
            if (total is not null && total.TimeoutDuration != Timeout.InfiniteTimeSpan)
            {
                http.Timeout = Timeout.InfiniteTimeSpan;
            }
        });

        const string Key = "standard";
        HttpResilienceServices.AddHandlersOnce(builder, Key, (services, name) => CreateStandard(services, client ?? name, Key));
        return builder;
    }

    private static List<DelegatingHandler> CreateStandard(IServiceProvider services, string client, string key)
    {
        var (read, subscribe) = HttpResilienceServices.Named<HttpResilienceOptions>(services, client);
        HttpResilienceOptions current = read()!;
        var handlers = new List<DelegatingHandler>(6);
        if (current.RateLimiter is not null)
        {
            handlers.Add(HttpResilienceServices.CreateRateLimiter(services, client, client, key, () => read()!.RateLimiter, subscribe));
        }

        if (current.TotalTimeLimiter is not null)
        {
            handlers.Add(HttpResilienceServices.CreateTimeLimiter(services, client, client + HttpResilienceConstants.TotalTimeLimiterSuffix, key, () => read()!.TotalTimeLimiter, subscribe));
        }

        if (current.Retry is not null)
        {
            handlers.Add(HttpResilienceServices.CreateRetry(services, client, client, key, () => read()!.Retry, () => read()!.TotalTimeLimiter?.TimeoutDuration, subscribe));
        }

        if (current.CircuitBreaker is not null)
        {
            handlers.Add(HttpResilienceServices.CreateCircuitBreaker(services, client, client, key, () => read()!.CircuitBreaker, subscribe));
        }

        if (current.Bulkhead is not null)
        {
            handlers.Add(HttpResilienceServices.CreateBulkhead(services, client, client, key, () => read()!.Bulkhead, subscribe));
        }

        if (current.AttemptTimeLimiter is not null)
        {
            handlers.Add(HttpResilienceServices.CreateTimeLimiter(services, client, client, key, () => read()!.AttemptTimeLimiter, subscribe));
        }

        return handlers;
    }

    private static void AddValidation<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceCollection services, string optionsName, Action<TOptions> validate)
        where TOptions : class =>
        AddValidator(services, optionsName, new DelegateOptionsValidator<TOptions>(optionsName, validate));

    /// <summary>
    /// Adds the validator of one options name, once: a second registration of the same options adds nothing, except
    /// that a validator that knows the configuration keys replaces one that does not.
    /// </summary>
    private static void AddValidator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceCollection services, string optionsName, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        for (int i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IValidateOptions<TOptions>)
                && services[i].ImplementationInstance is INamedOptionsValidator existing
                && string.Equals(existing.Name, optionsName, StringComparison.Ordinal))
            {
                if (existing is DelegateOptionsValidator<TOptions> && validator is ConfigurationOptionsValidator<TOptions>)
                {
                    services[i] = ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(validator);
                }

                return;
            }
        }

        services.AddOptions<TOptions>(optionsName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(validator);
    }
}
