using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Resilience;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Resilience.DependencyInjection;
using Resilience.Http;
using Resilience.Http.Configuration;
using Resilience.Http.DependencyInjection;
using Resilience.Http.Handlers;

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
/// settings override those of its bases (a configuration may name a <c>BaseConfig</c> of its own). Setting names are
/// the option property names, case-insensitive; durations are written as in Resilience4j (<c>500ms</c>, <c>10s</c>,
/// <c>PT10S</c>; a bare number is milliseconds) or as <see cref="TimeSpan"/> strings such as <c>"00:00:05"</c>.</para>
/// <para>Options are validated when the host starts (<c>ValidateOnStart</c>). Every problem is reported, with the full
/// configuration key: a value out of range (at the key that holds it, in the instance or in its base
/// configuration), a value that does not convert or has the wrong shape, a key that is not a primitive section, a level or
/// a setting, and a broken <c>BaseConfig</c> chain. Options set by a delegate are reported with the client's name and
/// the property name. Instances that nothing reads are logged in one warning at start.</para>
/// <para>A configuration reload applies to new requests. A primitive whose options did not change is kept with its
/// state. A changed circuit breaker is replaced by one in the same state (open, half-open, forced open, disabled or
/// metrics-only), with empty window counts, or closed when its window type or size changed; per-authority breakers
/// start again, closed. A bulkhead or rate
/// limiter whose limit changed is changed in place; anything else is built anew and calls in flight finish on the
/// old one. A reload with an invalid value changes nothing: the last valid options and primitives stay until the
/// configuration is fixed (the options monitor raises the validation failure to the reload's caller). These are the
/// rules of <see cref="Resilience.DependencyInjection.ResilienceReload"/>, which the registries of <c>AddResilience</c> follow too.</para>
/// <para><b>Registries.</b> Every primitive of a client lives in the registry of its kind that <c>AddResilience</c>
/// registers (<see cref="CircuitBreakerRegistry"/>, <see cref="RetryRegistry"/>, <see cref="TimeLimiterRegistry"/>,
/// <see cref="BulkheadRegistry"/>, <see cref="RequestRateLimiterRegistry"/>; every resilient client registers them),
/// and the handlers use that instance: read its state and metrics, subscribe to its events, or force a breaker open
/// or closed (<c>TransitionToForcedOpenState</c>, Resilience4j's actuator operations), and the client's requests
/// follow. The names: the layers of the standard composition are named after the client, as their configuration
/// instances are (<c>inventory</c>; the total time limiter <c>inventory-total</c>); a primitive added on its own is
/// <c>{client}/{instance}</c> (<c>inventory/backend</c>), since several clients may each add one with the same
/// instance name; a per-authority breaker is that name followed by <c>/{scheme}://{host}:{port}</c>. A primitive's
/// <c>Name</c> is its registry name. A primitive enters its registry when <c>IHttpClientFactory</c> first builds the
/// client's handlers (the first <c>CreateClient</c> or typed client), replacing an instance created there under that
/// name before; a reload that rebuilds it replaces it there too (<c>EntryReplaced</c>), so look it up by name rather
/// than holding it across reloads. An evicted per-authority breaker leaves the registry.</para>
/// <para>A client registration claims the configuration instances it reads
/// (<see cref="Resilience.DependencyInjection.ResilienceConfigurationClaim"/>): <c>AddResilience</c> on the same section neither
/// validates them (the client does, knowing its HTTP settings) nor creates plain instances under their names. A
/// registration for every client cannot claim in advance, since client names are known only when the clients are
/// built: <c>AddResilience</c> on the same section then validates those instances as plain ones (an HTTP setting such
/// as <c>FailureStatusCodes</c> is an unknown key to it) and creates them, and each client replaces its own when it is
/// built. Register such clients by name, or keep <c>AddResilience</c> on a section of its own.</para>
/// <para>Handlers added one at a time run in the order they are added, the first outermost.</para>
/// <para>On the builder of <c>ConfigureHttpClientDefaults</c>, a registration applies to every client: each client
/// reads its options under its own name (<c>{client}</c>, or <c>{client}/{instance}</c> for one primitive), so the
/// configuration flavour binds each client's own instance, and a client's own registration made afterwards overrides
/// only the settings it sets. Those options are validated for each client when <c>IHttpClientFactory</c> first builds
/// it, and at host start for a client without a name, which catches values wrong for every client.</para>
/// </remarks>
public static partial class ResilienceHttpClientBuilderExtensions
{
    /// <summary>Adds the standard composition with its defaults: total time limit 30 s, retry, circuit breaker, per-attempt time limit 10 s.</summary>
    /// <param name="builder">The client builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>The order of the layers is described on <see cref="HttpResilienceOptions"/>. The client's <see cref="HttpClient.Timeout"/> is set to infinite while the total time limit is on.</remarks>
    public static IHttpClientBuilder AddResilience(this IHttpClientBuilder builder) =>
        AddResilience(builder, static _ => { });

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
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        OptionsScope scope = OptionsScope.Standard(builder.Name);
        var validator = new ConfigurationOptionsValidator<HttpResilienceOptions>(scope, configuration, ConfigurationLayers.Composite);
        AddValidator(builder.Services, scope, validator);
        AddRoot(builder.Services, configuration, namesKnownLater: scope.Client is null);
        return AddStandard(builder, scope, (name, o) => validator.Bind(name, () => HttpConfiguration.BindComposite(configuration, name, o)), configuration);
    }

    /// <summary>Adds the standard composition, configured by a delegate.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Configures the layers; set a layer to <see langword="null"/> to leave it out.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddResilience(this IHttpClientBuilder builder, Action<HttpResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddStandard(builder, OptionsScope.Standard(builder.Name), (_, o) => configure(o), reloadSource: null);
    }

    private static IHttpClientBuilder AddStandard(IHttpClientBuilder builder, OptionsScope scope, Action<string, HttpResilienceOptions> configure, IConfiguration? reloadSource)
    {
        AddOptions(builder.Services, scope, configure, reloadSource);
        AddValidator<HttpResilienceOptions>(builder.Services, scope, new DelegateOptionsValidator<HttpResilienceOptions>(scope, HttpResilienceOptionsValidation.Validate));
        if (scope.Client is { } client)
        {
            // The layers live in the registries under the client's name: AddResilience leaves those instances to the client.
            Claim(builder.Services, ConfigurationLayers.ClaimsOf(ConfigurationLayers.Composite(client)));
        }

        // HttpClient.Timeout is per client name; a configuration of HttpClientFactoryOptions receives that name, also
        // when the registration is for every client.
        builder.Services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>>(services => new ScopedConfigureOptions<HttpClientFactoryOptions>(
            OptionsScope.Standard(scope.Client),
            (client, factoryOptions) => factoryOptions.HttpClientActions.Add(http =>
            {
                TimeLimiterOptions? total = services.GetRequiredService<LastGoodOptions>().Get(services.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>(), client).TotalTimeLimiter;
                if (total is not null && total.TimeoutDuration != Timeout.InfiniteTimeSpan)
                {
                    http.Timeout = Timeout.InfiniteTimeSpan;
                }
            })));

        const string Key = "standard";
        HttpResilienceServices.AddHandlersOnce(builder, Key, (services, client) => CreateStandard(services, client, Key));
        return builder;
    }

    private static List<DelegatingHandler> CreateStandard(IServiceProvider services, string client, string key)
    {
        var (read, subscribe) = HttpResilienceServices.Named<HttpResilienceOptions>(services, client);
        HttpResilienceOptions current = read()!;
        var handlers = new List<DelegatingHandler>(7);

        // A body that breaks or stalls while it is buffered in an attempt is a failure of the attempt: worth it only
        // when a retry or a breaker is there to act on it.
        bool attemptBuffers = current.Retry is not null || current.CircuitBreaker is not null;
        if (current.RateLimiter is not null)
        {
            handlers.Add(HttpResilienceServices.CreateRateLimiter(services, client, client, client, key, () => read()!.RateLimiter, subscribe));
        }

        if (current.TotalTimeLimiter is not null)
        {
            handlers.Add(HttpResilienceServices.CreateTimeLimiter(services, client, client + HttpResilienceConstants.TotalTimeLimiterSuffix, client + HttpResilienceConstants.TotalTimeLimiterSuffix, key, () => read()!.TotalTimeLimiter, subscribe, boundsBody: true, attemptBuffers));
        }

        if (current.Retry is not null)
        {
            handlers.Add(HttpResilienceServices.CreateRetry(services, client, client, client, key, () => read()!.Retry, () => read()!.TotalTimeLimiter?.TimeoutDuration, subscribe));
        }

        if (current.CircuitBreaker is not null)
        {
            handlers.Add(HttpResilienceServices.CreateCircuitBreaker(services, client, client, client, key, () => read()!.CircuitBreaker, subscribe));
        }

        if (current.Bulkhead is not null)
        {
            handlers.Add(HttpResilienceServices.CreateBulkhead(services, client, client, client, key, () => read()!.Bulkhead, subscribe));
        }

        if (current.AttemptTimeLimiter is not null)
        {
            handlers.Add(HttpResilienceServices.CreateTimeLimiter(services, client, client, client, key, () => read()!.AttemptTimeLimiter, subscribe));
        }

        if (attemptBuffers)
        {
            handlers.Add(new ResponseBufferingHandler());
        }

        return handlers;
    }

    /// <summary>
    /// Configures the options of a scope, and has a reload of <paramref name="reloadSource"/> reach them: through a change
    /// token source for one client, or, for every client, through the sources the handlers subscribe to.
    /// </summary>
    private static void AddOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceCollection services, OptionsScope scope, Action<string, TOptions> configure, IConfiguration? reloadSource)
        where TOptions : class
    {
        services.AddOptions();
        services.AddSingleton<IConfigureOptions<TOptions>>(new ScopedConfigureOptions<TOptions>(scope, configure));
        if (reloadSource is null)
        {
            return;
        }

        if (scope.Client is { } client)
        {
            services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(scope.NameFor(client), reloadSource));
        }
        else
        {
            services.AddSingleton(new EveryClientReloadSource<TOptions>(reloadSource));
        }
    }

    /// <summary>Registers a configuration root that a registration reads, once, so that all its keys are checked at start.</summary>
    /// <remarks>A registration for every client reads instances named after clients known only when they are built (<paramref name="namesKnownLater"/>).</remarks>
    private static void AddRoot(IServiceCollection services, IConfiguration configuration, bool namesKnownLater)
    {
        if (!services.Any(d => d.ServiceType == typeof(ResilienceConfigurationRoot) && d.ImplementationInstance is ResilienceConfigurationRoot r
            && ReferenceEquals(r.Configuration, configuration) && r.NamesKnownLater == namesKnownLater))
        {
            services.AddSingleton(new ResilienceConfigurationRoot(configuration, namesKnownLater));
        }
    }

    /// <summary>Registers the claims of a registration on instances of the configuration, each once.</summary>
    private static void Claim(IServiceCollection services, IEnumerable<ResilienceConfigurationClaim> claims)
    {
        foreach (ResilienceConfigurationClaim claim in claims)
        {
            bool known = services.Any(d => d.ServiceType == typeof(ResilienceConfigurationClaim) && d.ImplementationInstance is ResilienceConfigurationClaim c
                && string.Equals(c.Primitive, claim.Primitive, StringComparison.Ordinal) && string.Equals(c.InstanceName, claim.InstanceName, StringComparison.OrdinalIgnoreCase));
            if (!known)
            {
                services.AddSingleton(claim);
            }
        }
    }

    /// <summary>
    /// Adds the validator of one options scope, once: a second registration of the same scope adds nothing, except
    /// that a validator that knows the configuration keys replaces one that does not.
    /// </summary>
    /// <remarks>
    /// The options of one client are validated when the host starts. Those of a registration for every client are
    /// validated for each client when <c>IHttpClientFactory</c> first builds its handlers (the client names are not
    /// known before), and, when the host starts, for a client without a name, which catches values that are wrong
    /// for every client.
    /// </remarks>
    private static void AddValidator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceCollection services, OptionsScope scope, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        for (int i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IValidateOptions<TOptions>)
                && services[i].ImplementationInstance is INamedOptionsValidator existing
                && string.Equals(existing.Name, scope.Key, StringComparison.Ordinal))
            {
                if (existing is DelegateOptionsValidator<TOptions> && validator is ConfigurationOptionsValidator<TOptions>)
                {
                    services[i] = ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(validator);
                }

                return;
            }
        }

        services.AddOptions<TOptions>(scope.NameFor(scope.Client ?? Options.Options.DefaultName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(validator);
    }
}
