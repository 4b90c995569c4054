using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Resilience;
using Resilience.DependencyInjection;
using Resilience.Http;
using Resilience.Http.Configuration;
using Resilience.Http.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

public static partial class ResilienceHttpClientBuilderExtensions
{
    /// <summary>Adds a circuit breaker handler with the defaults of Resilience4j and the HTTP failure rule.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the breaker instance on this client.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddCircuitBreaker(this IHttpClientBuilder builder, string instanceName) =>
        AddCircuitBreaker(builder, instanceName, static _ => { });

    /// <summary>Adds a circuit breaker handler bound from <c>CircuitBreaker:Instances:{instanceName}</c> of <paramref name="configuration"/>.</summary>
    /// <remarks>The instance starts from <c>CircuitBreaker:Configs:{BaseConfig}</c>, or <c>CircuitBreaker:Configs:default</c> without <c>BaseConfig</c>. Unknown keys, unconvertible and out-of-range values and a missing base configuration fail the host start with the full key in the message; reloads apply as the class remarks describe.</remarks>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the breaker instance on this client.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddCircuitBreaker(this IHttpClientBuilder builder, string instanceName, IConfigurationSection configuration) =>
        AddPrimitive<HttpCircuitBreakerOptions>(builder, instanceName, configuration, (root, o) => HttpConfiguration.Bind(root, instanceName, o), ConfigurationLayers.CircuitBreaker(instanceName), CreateCircuitBreaker);

    /// <summary>Adds a circuit breaker handler configured by a delegate.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the breaker instance on this client.</param>
    /// <param name="configure">Configures the breaker.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddCircuitBreaker(this IHttpClientBuilder builder, string instanceName, Action<HttpCircuitBreakerOptions> configure) =>
        AddPrimitive(builder, instanceName, configure, HttpResilienceOptionsValidation.Validate, CreateCircuitBreaker);

    /// <summary>Adds a retry handler with the defaults of Resilience4j and the HTTP rules.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the retry instance on this client.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddRetry(this IHttpClientBuilder builder, string instanceName) =>
        AddRetry(builder, instanceName, static _ => { });

    /// <summary>Adds a retry handler bound from <c>Retry:Instances:{instanceName}</c> of <paramref name="configuration"/>.</summary>
    /// <remarks>The instance starts from <c>Retry:Configs:{BaseConfig}</c>, or <c>Retry:Configs:default</c> without <c>BaseConfig</c>. Unknown keys, unconvertible and out-of-range values and a missing base configuration fail the host start with the full key in the message; reloads apply as the class remarks describe.</remarks>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the retry instance on this client.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddRetry(this IHttpClientBuilder builder, string instanceName, IConfigurationSection configuration) =>
        AddPrimitive<HttpRetryOptions>(builder, instanceName, configuration, (root, o) => HttpConfiguration.Bind(root, instanceName, o), ConfigurationLayers.Retry(instanceName), CreateRetry);

    /// <summary>Adds a retry handler configured by a delegate.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the retry instance on this client.</param>
    /// <param name="configure">Configures the retry.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddRetry(this IHttpClientBuilder builder, string instanceName, Action<HttpRetryOptions> configure) =>
        AddPrimitive(builder, instanceName, configure, HttpResilienceOptionsValidation.Validate, CreateRetry);

    /// <summary>Adds a time limiter handler with the default of Resilience4j (1 second).</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the time limiter instance on this client.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks><see cref="HttpClient.Timeout"/> is left alone: it still bounds the whole call.</remarks>
    public static IHttpClientBuilder AddTimeLimiter(this IHttpClientBuilder builder, string instanceName) =>
        AddTimeLimiter(builder, instanceName, static _ => { });

    /// <summary>Adds a time limiter handler bound from <c>TimeLimiter:Instances:{instanceName}</c> of <paramref name="configuration"/>.</summary>
    /// <remarks>The instance starts from <c>TimeLimiter:Configs:{BaseConfig}</c>, or <c>TimeLimiter:Configs:default</c> without <c>BaseConfig</c>. Unknown keys, unconvertible and out-of-range values and a missing base configuration fail the host start with the full key in the message; reloads apply as the class remarks describe.</remarks>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the time limiter instance on this client.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddTimeLimiter(this IHttpClientBuilder builder, string instanceName, IConfigurationSection configuration) =>
        AddPrimitive<TimeLimiterOptions>(builder, instanceName, configuration, (root, o) => HttpConfiguration.Bind(root, instanceName, o), ConfigurationLayers.TimeLimiter(instanceName), CreateTimeLimiter);

    /// <summary>Adds a time limiter handler configured by a delegate.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the time limiter instance on this client.</param>
    /// <param name="configure">Configures the time limiter.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddTimeLimiter(this IHttpClientBuilder builder, string instanceName, Action<TimeLimiterOptions> configure) =>
        AddPrimitive(builder, instanceName, configure, static o => o.Validate(), CreateTimeLimiter);

    /// <summary>Adds a bulkhead handler with the defaults of Resilience4j (25 concurrent requests, no wait).</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the bulkhead instance on this client.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddBulkhead(this IHttpClientBuilder builder, string instanceName) =>
        AddBulkhead(builder, instanceName, static _ => { });

    /// <summary>Adds a bulkhead handler bound from <c>Bulkhead:Instances:{instanceName}</c> of <paramref name="configuration"/>.</summary>
    /// <remarks>The instance starts from <c>Bulkhead:Configs:{BaseConfig}</c>, or <c>Bulkhead:Configs:default</c> without <c>BaseConfig</c>. Unknown keys, unconvertible and out-of-range values and a missing base configuration fail the host start with the full key in the message; reloads apply as the class remarks describe.</remarks>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the bulkhead instance on this client.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddBulkhead(this IHttpClientBuilder builder, string instanceName, IConfigurationSection configuration) =>
        AddPrimitive<BulkheadOptions>(builder, instanceName, configuration, (root, o) => HttpConfiguration.Bind(root, instanceName, o), ConfigurationLayers.Bulkhead(instanceName), CreateBulkhead);

    /// <summary>Adds a bulkhead handler configured by a delegate.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the bulkhead instance on this client.</param>
    /// <param name="configure">Configures the bulkhead.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddBulkhead(this IHttpClientBuilder builder, string instanceName, Action<BulkheadOptions> configure) =>
        AddPrimitive(builder, instanceName, configure, static o => o.Validate(), CreateBulkhead);

    /// <summary>Adds a rate limiter handler with the defaults of Resilience4j (50 requests per 500 ns, 5 s wait).</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the rate limiter instance on this client.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddRateLimiter(this IHttpClientBuilder builder, string instanceName) =>
        AddRateLimiter(builder, instanceName, static _ => { });

    /// <summary>Adds a rate limiter handler bound from <c>RateLimiter:Instances:{instanceName}</c> of <paramref name="configuration"/>.</summary>
    /// <remarks>The instance starts from <c>RateLimiter:Configs:{BaseConfig}</c>, or <c>RateLimiter:Configs:default</c> without <c>BaseConfig</c>. Unknown keys, unconvertible and out-of-range values and a missing base configuration fail the host start with the full key in the message; reloads apply as the class remarks describe.</remarks>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the rate limiter instance on this client.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddRateLimiter(this IHttpClientBuilder builder, string instanceName, IConfigurationSection configuration) =>
        AddPrimitive<RequestRateLimiterOptions>(builder, instanceName, configuration, (root, o) => HttpConfiguration.Bind(root, instanceName, o), ConfigurationLayers.RateLimiter(instanceName), CreateRateLimiter);

    /// <summary>Adds a rate limiter handler configured by a delegate.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="instanceName">The name of the rate limiter instance on this client.</param>
    /// <param name="configure">Configures the rate limiter.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddRateLimiter(this IHttpClientBuilder builder, string instanceName, Action<RequestRateLimiterOptions> configure) =>
        AddPrimitive(builder, instanceName, configure, static o => o.Validate(), CreateRateLimiter);

    /// <summary>Creates the handler of one primitive; <paramref name="optionsName"/>, <c>{client}/{instance}</c>, is also the primitive's name in its registry.</summary>
    private delegate DelegatingHandler HandlerFactory(IServiceProvider services, string client, string instance, string key, string optionsName);

    private static IHttpClientBuilder AddPrimitive<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IHttpClientBuilder builder, string instanceName, IConfigurationSection configuration, Action<IConfiguration, TOptions> bind, ResilienceConfigurationLayer<TOptions>[] layers, HandlerFactory create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceName);
        OptionsScope scope = OptionsScope.Primitive(builder.Name, instanceName);
        var validator = new ConfigurationOptionsValidator<TOptions>(scope, configuration, _ => layers);
        AddValidator(builder.Services, scope, validator);
        AddRoot(builder.Services, configuration, namesKnownLater: scope.Client is null);
        if (scope.Client is not null)
        {
            // The client reads this instance with settings of its own: AddResilience leaves it to the client.
            Claim(builder.Services, ConfigurationLayers.ClaimsOf(layers));
        }

        return AddPrimitive<TOptions>(builder, scope, instanceName, (name, o) => validator.Bind(name, () => bind(configuration, o)), layers[0].Validate, configuration, create);
    }

    private static IHttpClientBuilder AddPrimitive<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IHttpClientBuilder builder, string instanceName, Action<TOptions> configure, Action<TOptions> validate, HandlerFactory create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceName);
        ArgumentNullException.ThrowIfNull(configure);
        return AddPrimitive(builder, OptionsScope.Primitive(builder.Name, instanceName), instanceName, (_, o) => configure(o), validate, reloadSource: null, create);
    }

    private static IHttpClientBuilder AddPrimitive<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(IHttpClientBuilder builder, OptionsScope scope, string instanceName, Action<string, TOptions> configure, Action<TOptions> validate, IConfiguration? reloadSource, HandlerFactory create)
        where TOptions : class
    {
        AddOptions(builder.Services, scope, configure, reloadSource);
        AddValidator<TOptions>(builder.Services, scope, new DelegateOptionsValidator<TOptions>(scope, validate));
        string key = $"{typeof(TOptions).Name}:{instanceName}";
        HttpResilienceServices.AddHandlersOnce(builder, key, (services, client) => [create(services, client, instanceName, key, scope.NameFor(client))]);
        return builder;
    }

    private static DelegatingHandler CreateCircuitBreaker(IServiceProvider services, string client, string instance, string key, string optionsName)
    {
        var (read, subscribe) = HttpResilienceServices.Named<HttpCircuitBreakerOptions>(services, optionsName);
        return HttpResilienceServices.CreateCircuitBreaker(services, client, instance, optionsName, key, read, subscribe);
    }

    private static DelegatingHandler CreateRetry(IServiceProvider services, string client, string instance, string key, string optionsName)
    {
        var (read, subscribe) = HttpResilienceServices.Named<HttpRetryOptions>(services, optionsName);
        return HttpResilienceServices.CreateRetry(services, client, instance, optionsName, key, read, static () => null, subscribe);
    }

    private static DelegatingHandler CreateTimeLimiter(IServiceProvider services, string client, string instance, string key, string optionsName)
    {
        var (read, subscribe) = HttpResilienceServices.Named<TimeLimiterOptions>(services, optionsName);
        return HttpResilienceServices.CreateTimeLimiter(services, client, instance, optionsName, key, read, subscribe);
    }

    private static DelegatingHandler CreateBulkhead(IServiceProvider services, string client, string instance, string key, string optionsName)
    {
        var (read, subscribe) = HttpResilienceServices.Named<BulkheadOptions>(services, optionsName);
        return HttpResilienceServices.CreateBulkhead(services, client, instance, optionsName, key, read, subscribe);
    }

    private static DelegatingHandler CreateRateLimiter(IServiceProvider services, string client, string instance, string key, string optionsName)
    {
        var (read, subscribe) = HttpResilienceServices.Named<RequestRateLimiterOptions>(services, optionsName);
        return HttpResilienceServices.CreateRateLimiter(services, client, instance, optionsName, key, read, subscribe);
    }
}
