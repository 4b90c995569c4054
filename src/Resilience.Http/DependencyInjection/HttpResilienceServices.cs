using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using Resilience.DependencyInjection;
using Resilience.Http.Handlers;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.DependencyInjection;

/// <summary>The one core that every registration overload funnels into.</summary>
internal static class HttpResilienceServices
{
    /// <summary>Registers the singletons the handlers share, and the registries they publish their primitives in; safe to call any number of times.</summary>
    public static void AddCore(IServiceCollection services)
    {
        services.AddResilience();
        if (!services.Any(d => d.ServiceType == typeof(ObserveRegistryThreadPools)))
        {
            // The thread-pool bulkheads of AddResilience's registry report to the meter too (after the application's own configuration, which may have added it).
            services.AddSingleton<ObserveRegistryThreadPools>();
            services.AddOptions<ResilienceTelemetryOptions>().PostConfigure<ThreadPoolBulkheadRegistry>(static (options, registry) =>
            {
                if (!options.ThreadPoolBulkheadRegistries.Contains(registry))
                {
                    options.ThreadPoolBulkheadRegistries.Add(registry);
                }
            });
        }

        services.TryAddSingleton(sp => new HttpResilienceTelemetry(
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetService<IMeterFactory>(),
            sp.GetService<IOptions<ResilienceTelemetryOptions>>()?.Value));
        services.TryAddSingleton(sp =>
        {
            HttpResilienceTelemetry telemetry = sp.GetRequiredService<HttpResilienceTelemetry>();
            var registries = new PrimitiveRegistries(
                sp.GetRequiredService<CircuitBreakerRegistry>(),
                sp.GetRequiredService<RetryRegistry>(),
                sp.GetRequiredService<TimeLimiterRegistry>(),
                sp.GetRequiredService<BulkheadRegistry>(),
                sp.GetRequiredService<RequestRateLimiterRegistry>());
            var registry = new HttpResilienceRegistry(sp.GetService<TimeProvider>(), telemetry, registries);
            telemetry.Observe(registry);
            return registry;
        });
    }

    /// <summary>
    /// Adds handlers to the client once: a second registration with the same key, on the same client, adds nothing,
    /// whether it comes from the same call twice or from <c>ConfigureHttpClientDefaults</c>.
    /// </summary>
    /// <remarks>
    /// <paramref name="create"/> receives the name of the client being built: a builder from
    /// <c>ConfigureHttpClientDefaults</c> has no name of its own, so the name is only known when the handlers are built.
    /// </remarks>
    public static void AddHandlersOnce(IHttpClientBuilder builder, string registrationKey, Func<IServiceProvider, string, IEnumerable<DelegatingHandler>> create)
    {
        AddCore(builder.Services);
        builder.Services.Configure<HttpClientFactoryOptions>(builder.Name, options => options.HttpMessageHandlerBuilderActions.Add(handlerBuilder =>
        {
            foreach (DelegatingHandler handler in handlerBuilder.AdditionalHandlers)
            {
                if (handler is ResilienceHandler existing && string.Equals(existing.RegistrationKey, registrationKey, StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }

            foreach (DelegatingHandler handler in create(handlerBuilder.Services, handlerBuilder.Name ?? Options.DefaultName))
            {
                handlerBuilder.AdditionalHandlers.Add(handler);
            }
        }));
    }

    // Each Create* builds the handler of one primitive instance: instanceName is its configuration instance (and its
    // telemetry name), registryName its name in the registry of its kind, where it is published.
    public static CircuitBreakerHandler CreateCircuitBreaker(IServiceProvider services, string clientName, string instanceName, string registryName, string key, Func<HttpCircuitBreakerOptions?> read, Func<Action, IDisposable?> subscribe)
    {
        var (registry, slot, source) = GetSlot<HttpCircuitBreakerOptions, BreakerSet>(services, clientName, key, ResilienceKinds.CircuitBreaker, instanceName, read, subscribe, (options, previous, registry, src) =>
        {
            BreakerSet set = HttpPrimitiveFactory.BuildBreakers(registryName, options, previous, registry.TimeProvider);
            if (!ReferenceEquals(set, previous))
            {
                registry.Telemetry.OnBreakerSetCreated(src, set);
                PublishBreakers(registry.Registries.CircuitBreakers, set, previous);
            }

            return set;
        });
        return new CircuitBreakerHandler(slot, key, source, registry.Telemetry);
    }

    public static RetryHandler CreateRetry(IServiceProvider services, string clientName, string instanceName, string registryName, string key, Func<HttpRetryOptions?> read, Func<TimeSpan?> totalTimeout, Func<Action, IDisposable?> subscribe)
    {
        var (registry, slot, source) = GetSlot<HttpRetryOptions, HttpRetryPolicy>(services, clientName, key, ResilienceKinds.Retry, instanceName, read, subscribe, (options, previous, registry, src) =>
        {
            HttpRetryPolicy policy = HttpPrimitiveFactory.BuildRetry(registryName, options, totalTimeout(), previous, registry.TimeProvider, registry.Telemetry, src);
            PrimitiveRegistries.Publish(registry.Registries.Retries, registryName, policy.Retry);
            return policy;
        });
        return new RetryHandler(slot, key, source, registry.Telemetry);
    }

    /// <remarks>
    /// The total time limit of the standard composition also bounds the response body (<paramref name="boundsBody"/>),
    /// except the bodies the attempts buffer (<paramref name="attemptBuffers"/>).
    /// </remarks>
    public static TimeLimiterHandler CreateTimeLimiter(IServiceProvider services, string clientName, string instanceName, string registryName, string key, Func<TimeLimiterOptions?> read, Func<Action, IDisposable?> subscribe, bool boundsBody = false, bool attemptBuffers = false)
    {
        var (registry, slot, source) = GetSlot<TimeLimiterOptions, TimeLimiter>(services, clientName, key, ResilienceKinds.TimeLimiter, instanceName, read, subscribe, (options, previous, registry, _) =>
        {
            TimeLimiter limiter = HttpPrimitiveFactory.BuildTimeLimiter(registryName, options, previous, registry.TimeProvider);
            PrimitiveRegistries.Publish(registry.Registries.TimeLimiters, registryName, limiter);
            return limiter;
        });
        return new TimeLimiterHandler(slot, key, source, registry.Telemetry, registry.TimeProvider, boundsBody, attemptBuffers);
    }

    public static BulkheadHandler CreateBulkhead(IServiceProvider services, string clientName, string instanceName, string registryName, string key, Func<BulkheadOptions?> read, Func<Action, IDisposable?> subscribe)
    {
        var (registry, slot, source) = GetSlot<BulkheadOptions, BulkheadHolder>(services, clientName, key, ResilienceKinds.Bulkhead, instanceName, read, subscribe, (options, previous, registry, _) =>
        {
            BulkheadHolder holder = HttpPrimitiveFactory.BuildBulkhead(registryName, options, previous, registry.TimeProvider);
            PrimitiveRegistries.Publish(registry.Registries.Bulkheads, registryName, holder.Bulkhead);
            return holder;
        });
        return new BulkheadHandler(slot, key, source, registry.Telemetry);
    }

    public static RateLimiterHandler CreateRateLimiter(IServiceProvider services, string clientName, string instanceName, string registryName, string key, Func<RequestRateLimiterOptions?> read, Func<Action, IDisposable?> subscribe)
    {
        var (registry, slot, source) = GetSlot<RequestRateLimiterOptions, RequestRateLimiter>(services, clientName, key, ResilienceKinds.RateLimiter, instanceName, read, subscribe, (options, previous, registry, _) =>
        {
            RequestRateLimiter limiter = HttpPrimitiveFactory.BuildRateLimiter(registryName, options, previous, registry.TimeProvider);
            PrimitiveRegistries.Publish(registry.Registries.RateLimiters, registryName, limiter);
            return limiter;
        });
        return new RateLimiterHandler(slot, key, source, registry.Telemetry);
    }

    /// <summary>
    /// Publishes the breakers of a new set: the client's breaker under the set's name, or each per-authority breaker as
    /// it is created (withdrawn when it is evicted); the breakers of the set it replaces that it does not reuse are withdrawn.
    /// </summary>
    private static void PublishBreakers(CircuitBreakerRegistry breakers, BreakerSet set, BreakerSet? previous)
    {
        if (previous is not null)
        {
            foreach (CircuitBreaker old in previous.Breakers)
            {
                if (!ReferenceEquals(old, set.Single))
                {
                    PrimitiveRegistries.Withdraw(breakers, old.Name, old);
                }
            }
        }

        set.BreakerCreated += breaker => PrimitiveRegistries.Publish(breakers, breaker.Name, breaker);
        set.BreakerEvicted += breaker => PrimitiveRegistries.Withdraw(breakers, breaker.Name, breaker);
        foreach (CircuitBreaker breaker in set.Breakers)
        {
            PrimitiveRegistries.Publish(breakers, breaker.Name, breaker);
        }
    }

    /// <summary>Builds a primitive from options, reusing <c>previous</c> where a reload allows it.</summary>
    private delegate TValue SlotBuilder<TOptions, TValue>(TOptions options, TValue? previous, HttpResilienceRegistry registry, TelemetrySource source)
        where TValue : class;

    /// <summary>Gets or creates the registry slot of one primitive instance; a failed reload is reported and keeps the last good value.</summary>
    private static (HttpResilienceRegistry Registry, ReloadableSlot<TOptions, TValue> Slot, TelemetrySource Source) GetSlot<TOptions, TValue>(
        IServiceProvider services, string clientName, string key, string kind, string instanceName, Func<TOptions?> read, Func<Action, IDisposable?> subscribe, SlotBuilder<TOptions, TValue> build)
        where TOptions : class
        where TValue : class
    {
        HttpResilienceRegistry registry = services.GetRequiredService<HttpResilienceRegistry>();
        var (slot, source) = registry.GetOrAdd(clientName, key, kind, instanceName, src =>
            new ReloadableSlot<TOptions, TValue>(
                read,
                subscribe,
                (options, previous) => build(options, previous, registry, src),
                ex => registry.Telemetry.OnReloadFailed(src, ex)));
        return (registry, slot, source);
    }

    /// <summary>Reads named options (the last valid ones while a reload is invalid) and subscribes to their valid changes.</summary>
    /// <remarks>
    /// A change reaches the subscriber through the change token source of the name (a registration of one client), or
    /// through the configuration of a registration for every client. Each change is validated once, however many
    /// layers follow the name; a rejected one is logged and counted by <see cref="LastGoodOptions"/> and reaches no one.
    /// </remarks>
    public static (Func<TOptions?> Read, Func<Action, IDisposable?> Subscribe) Named<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceProvider services, string optionsName)
        where TOptions : class
    {
        LastGoodOptionsMonitor<TOptions> options = services.GetRequiredService<LastGoodOptions>().Follow<TOptions>(
            optionsName, [.. services.GetServices<EveryClientReloadSource<TOptions>>().Select(static s => s.Configuration)]);
        return (() => options.CurrentValue, reload => options.OnChange(_ => reload()));
    }
}

/// <summary>The configuration of a registration for every client (<c>ConfigureHttpClientDefaults</c>), whose reloads reach the options of each client.</summary>
/// <typeparam name="TOptions">The options the configuration binds.</typeparam>
/// <param name="configuration">The configuration bound.</param>
internal sealed class EveryClientReloadSource<TOptions>(IConfiguration configuration)
    where TOptions : class
{
    /// <summary>Gets the configuration bound.</summary>
    public IConfiguration Configuration { get; } = configuration;
}

/// <summary>Marks that the thread-pool bulkheads of the registry of <c>AddResilience</c> are added to the telemetry, once.</summary>
internal sealed class ObserveRegistryThreadPools;
