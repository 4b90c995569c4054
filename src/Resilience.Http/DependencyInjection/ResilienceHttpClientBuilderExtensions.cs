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
/// <c>configuration.GetSection("Resilience")</c>); each method finds its instance under
/// <c>{Primitive}:Instances:{instance}</c>, starting from the configuration named by <c>BaseConfig</c>, or from
/// <c>{Primitive}:Configs:default</c>.</para>
/// <para>Options are validated when the host starts; an invalid value stops the start with a message that names the
/// option, the value and the valid range. Configuration reloads apply to new requests.</para>
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
    /// call), and, when present, <c>RateLimiter:Instances:inventory</c> and <c>Bulkhead:Instances:inventory</c>.
    /// </remarks>
    public static IHttpClientBuilder AddResilience(this IHttpClientBuilder builder, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string client = builder?.Name!;
        return AddStandard(builder!, options =>
        {
            options.Configure(o => ResilienceConfiguration.BindComposite(configuration, client, o));
            options.Services.AddSingleton<IOptionsChangeTokenSource<HttpResilienceOptions>>(new ConfigurationChangeTokenSource<HttpResilienceOptions>(client, configuration));
        });
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
            TimeLimiterOptions? total = services.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>().Get(client).TotalTimeLimiter;
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
        where TOptions : class
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(IValidateOptions<TOptions>)
                && descriptor.ImplementationInstance is DelegateOptionsValidator<TOptions> existing
                && string.Equals(existing.Name, optionsName, StringComparison.Ordinal))
            {
                return;
            }
        }

        services.AddOptions<TOptions>(optionsName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new DelegateOptionsValidator<TOptions>(optionsName, validate));
    }
}
