using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Resilience.Http.Handlers;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.DependencyInjection;

/// <summary>The one core that every registration overload funnels into.</summary>
internal static class HttpResilienceServices
{
    /// <summary>Registers the singletons the handlers share; safe to call any number of times.</summary>
    public static void AddCore(IServiceCollection services)
    {
        services.TryAddSingleton<LastGoodOptions>();
        services.TryAddSingleton(sp => new HttpResilienceTelemetry(
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetService<IMeterFactory>(),
            sp.GetService<IOptions<ResilienceTelemetryOptions>>()?.Value));
        services.TryAddSingleton(sp =>
        {
            HttpResilienceTelemetry telemetry = sp.GetRequiredService<HttpResilienceTelemetry>();
            var registry = new HttpResilienceRegistry(sp.GetService<TimeProvider>(), telemetry);
            telemetry.Observe(registry);
            return registry;
        });
    }

    /// <summary>The name of the options of one primitive instance on one client.</summary>
    public static string OptionsName(string clientName, string instanceName) => $"{clientName}/{instanceName}";

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

    public static CircuitBreakerHandler CreateCircuitBreaker(IServiceProvider services, string clientName, string instanceName, string key, Func<HttpCircuitBreakerOptions?> read, Func<Action, IDisposable?> subscribe)
    {
        HttpResilienceRegistry registry = services.GetRequiredService<HttpResilienceRegistry>();
        var (slot, source) = registry.GetOrAdd(clientName, key, ResilienceKinds.CircuitBreaker, instanceName, src =>
            new ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet>(
                read,
                subscribe,
                (options, previous) =>
                {
                    BreakerSet set = HttpPrimitiveFactory.BuildBreakers(instanceName, options, previous, registry.TimeProvider);
                    if (!ReferenceEquals(set, previous))
                    {
                        registry.Telemetry.OnBreakerSetCreated(src, set);
                    }

                    return set;
                },
                ex => registry.Telemetry.OnReloadFailed(src, ex)));
        return new CircuitBreakerHandler(slot, key, source, registry.Telemetry);
    }

    public static RetryHandler CreateRetry(IServiceProvider services, string clientName, string instanceName, string key, Func<HttpRetryOptions?> read, Func<TimeSpan?> totalTimeout, Func<Action, IDisposable?> subscribe)
    {
        HttpResilienceRegistry registry = services.GetRequiredService<HttpResilienceRegistry>();
        var (slot, source) = registry.GetOrAdd(clientName, key, ResilienceKinds.Retry, instanceName, src =>
            new ReloadableSlot<HttpRetryOptions, HttpRetryPolicy>(
                read,
                subscribe,
                (options, previous) => HttpPrimitiveFactory.BuildRetry(instanceName, options, totalTimeout(), previous, registry.TimeProvider),
                ex => registry.Telemetry.OnReloadFailed(src, ex)));
        return new RetryHandler(slot, key, source, registry.Telemetry);
    }

    public static TimeLimiterHandler CreateTimeLimiter(IServiceProvider services, string clientName, string instanceName, string key, Func<TimeLimiterOptions?> read, Func<Action, IDisposable?> subscribe)
    {
        HttpResilienceRegistry registry = services.GetRequiredService<HttpResilienceRegistry>();
        var (slot, source) = registry.GetOrAdd(clientName, key, ResilienceKinds.TimeLimiter, instanceName, src =>
            new ReloadableSlot<TimeLimiterOptions, TimeLimiter>(
                read,
                subscribe,
                (options, previous) => HttpPrimitiveFactory.BuildTimeLimiter(instanceName, options, previous, registry.TimeProvider),
                ex => registry.Telemetry.OnReloadFailed(src, ex)));
        return new TimeLimiterHandler(slot, key, source, registry.Telemetry);
    }

    public static BulkheadHandler CreateBulkhead(IServiceProvider services, string clientName, string instanceName, string key, Func<BulkheadOptions?> read, Func<Action, IDisposable?> subscribe)
    {
        HttpResilienceRegistry registry = services.GetRequiredService<HttpResilienceRegistry>();
        var (slot, source) = registry.GetOrAdd(clientName, key, ResilienceKinds.Bulkhead, instanceName, src =>
            new ReloadableSlot<BulkheadOptions, BulkheadHolder>(
                read,
                subscribe,
                (options, previous) => HttpPrimitiveFactory.BuildBulkhead(instanceName, options, previous, registry.TimeProvider),
                ex => registry.Telemetry.OnReloadFailed(src, ex)));
        return new BulkheadHandler(slot, key, source, registry.Telemetry);
    }

    public static RateLimiterHandler CreateRateLimiter(IServiceProvider services, string clientName, string instanceName, string key, Func<RequestRateLimiterOptions?> read, Func<Action, IDisposable?> subscribe)
    {
        HttpResilienceRegistry registry = services.GetRequiredService<HttpResilienceRegistry>();
        var (slot, source) = registry.GetOrAdd(clientName, key, ResilienceKinds.RateLimiter, instanceName, src =>
            new ReloadableSlot<RequestRateLimiterOptions, RequestRateLimiter>(
                read,
                subscribe,
                (options, previous) => HttpPrimitiveFactory.BuildRateLimiter(instanceName, options, previous, registry.TimeProvider),
                ex => registry.Telemetry.OnReloadFailed(src, ex)));
        return new RateLimiterHandler(slot, key, source, registry.Telemetry);
    }

    /// <summary>Reads named options (the last valid ones while a reload is invalid) and subscribes to their changes.</summary>
    public static (Func<TOptions?> Read, Func<Action, IDisposable?> Subscribe) Named<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IServiceProvider services, string optionsName)
        where TOptions : class
    {
        IOptionsMonitor<TOptions> monitor = services.GetRequiredService<IOptionsMonitor<TOptions>>();
        LastGoodOptions lastGood = services.GetRequiredService<LastGoodOptions>();
        return (
            () => lastGood.Get(monitor, optionsName),
            reload => monitor.OnChange((_, name) =>
            {
                if (string.Equals(name, optionsName, StringComparison.Ordinal))
                {
                    reload();
                }
            }));
    }
}
