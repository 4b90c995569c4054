using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Resilience.DependencyInjection;
using Resilience.Http;
using Resilience.Http.Configuration;
using Resilience.Http.DependencyInjection;
using Resilience.Http.Handlers;
using Resilience.Http.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

public static partial class ResilienceHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds the per-request layers of a Refit interface annotated with Resilience.Attributes: each request of a method
    /// carrying <c>[Retry("name")]</c> or <c>[CircuitBreaker("name")]</c> goes through that retry (with HTTP semantics:
    /// failure status codes, <c>Retry-After</c>, no resend of non-idempotent methods) and that breaker, each bound
    /// from <c>Retry:Instances:{name}</c> or <c>CircuitBreaker:Instances:{name}</c> of <paramref name="configuration"/>.
    /// </summary>
    /// <typeparam name="TClient">The Refit interface; its table is generated at compile time (no reflection).</typeparam>
    /// <param name="builder">The builder of the Refit client, such as the one <c>AddRefitGeneratedClient&lt;TClient&gt;()</c> returns.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// <para>The handler reads the interface and the method that Refit puts in each request's options; a request of
    /// another interface, or of a method without these attributes, goes straight through. Methods that name the same
    /// instance share it, as Resilience4j's named instances are shared; name a breaker per method to keep one
    /// method's failures from opening another's. Each instance is published in its registry as
    /// <c>{client}/{name}</c>, validated at start and reloaded as the class remarks describe, like a primitive added on
    /// its own; <c>Configuration</c> and <c>Permits</c> of the attributes do not apply here.</para>
    /// <para>The generated decorator leaves these two layers out of its own chain, so that a method never gets the same
    /// layer twice: they run inside its call, innermost, and a fallback of theirs still catches what they throw. Its
    /// other layers (rate limiter, time limiter, bulkhead) stay in the decorator.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The builder has no client name (<c>ConfigureHttpClientDefaults</c>).</exception>
    /// <exception cref="InvalidOperationException">No per-request table was generated for <typeparamref name="TClient"/>.</exception>
    public static IHttpClientBuilder AddMethodResilience<TClient>(this IHttpClientBuilder builder, IConfigurationSection configuration)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        if (builder.Name is null)
        {
            throw new ArgumentException("AddMethodResilience needs the builder of one client, such as the one AddRefitGeneratedClient returns.", nameof(builder));
        }

        IReadOnlyDictionary<string, MethodLayerNames> methods = HttpMethodLayers.Find(typeof(TClient))
            ?? throw new InvalidOperationException(
                $"No per-request table was generated for {typeof(TClient).FullName}: put [Retry] or [CircuitBreaker] on its Refit methods, in a project that references Resilience4Net.Attributes and Resilience4Net.Http.");
        foreach (string retry in methods.Values.Select(static n => n.Retry).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            ConfigureInstance<HttpRetryOptions>(builder, retry, configuration, (root, o) => HttpConfiguration.Bind(root, retry, o), ConfigurationLayers.Retry(retry));
        }

        foreach (string breaker in methods.Values.Select(static n => n.CircuitBreaker).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            ConfigureInstance<HttpCircuitBreakerOptions>(builder, breaker, configuration, (root, o) => HttpConfiguration.Bind(root, breaker, o), ConfigurationLayers.CircuitBreaker(breaker));
        }

        builder.Services.AddSingleton(new MethodLayersRegistration(typeof(TClient)));
        string key = "methods:" + typeof(TClient).FullName;
        HttpResilienceServices.AddHandlersOnce(builder, key, (services, client) => [CreateMethodLayers(services, client, key, typeof(TClient), methods)]);
        return builder;
    }

    /// <summary>The options of one instance a client reads from configuration, as <c>AddRetry(name, configuration)</c> registers them, without its handler.</summary>
    private static void ConfigureInstance<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IHttpClientBuilder builder, string instanceName, IConfigurationSection configuration, Action<IConfiguration, TOptions> bind, ResilienceConfigurationLayer<TOptions>[] layers)
        where TOptions : class
    {
        OptionsScope scope = OptionsScope.Primitive(builder.Name, instanceName);
        var validator = new ConfigurationOptionsValidator<TOptions>(scope, configuration, _ => layers);
        AddValidator(builder.Services, scope, validator);
        AddRoot(builder.Services, configuration, namesKnownLater: false);
        Claim(builder.Services, ConfigurationLayers.ClaimsOf(layers));
        AddOptions<TOptions>(builder.Services, scope, (name, o) => validator.Bind(name, () => bind(configuration, o)), configuration);
        AddValidator<TOptions>(builder.Services, scope, new DelegateOptionsValidator<TOptions>(scope, layers[0].Validate));
    }

    private static MethodLayersHandler CreateMethodLayers(IServiceProvider services, string client, string key, Type clientType, IReadOnlyDictionary<string, MethodLayerNames> methods)
    {
        var routes = new Dictionary<string, Func<DelegatingHandler, ResilienceHandler>>(StringComparer.Ordinal);
        foreach ((string method, MethodLayerNames names) in methods)
        {
            routes[method] = tail =>
            {
                DelegatingHandler inner = tail;
                if (names.CircuitBreaker is { } breaker)
                {
                    string optionsName = OptionsScope.Primitive(client, breaker).NameFor(client);
                    var (read, subscribe) = HttpResilienceServices.Named<HttpCircuitBreakerOptions>(services, optionsName);
                    inner = Link(HttpResilienceServices.CreateCircuitBreaker(services, client, breaker, optionsName, key, read, subscribe), inner);
                }

                if (names.Retry is { } retry)
                {
                    string optionsName = OptionsScope.Primitive(client, retry).NameFor(client);
                    var (read, subscribe) = HttpResilienceServices.Named<HttpRetryOptions>(services, optionsName);
                    inner = Link(HttpResilienceServices.CreateRetry(services, client, retry, optionsName, key, read, static () => null, subscribe), inner);
                }

                return (ResilienceHandler)inner;
            };
        }

        HttpResilienceTelemetry telemetry = services.GetRequiredService<HttpResilienceTelemetry>();
        return new MethodLayersHandler(clientType, routes, key, new TelemetrySource(client, clientType.Name, "method_layers"), telemetry);
    }

    /// <summary>Puts a handler over an inner one.</summary>
    private static DelegatingHandler Link(DelegatingHandler handler, HttpMessageHandler inner)
    {
        handler.InnerHandler = inner;
        return handler;
    }
}
