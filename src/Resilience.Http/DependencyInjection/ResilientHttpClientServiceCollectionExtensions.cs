using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Resilience.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers HTTP clients with the standard resilience composition in one call.</summary>
/// <remarks>
/// Each method is <c>AddHttpClient(…)</c> followed by <see cref="ResilienceHttpClientBuilderExtensions.AddResilience(IHttpClientBuilder)"/>;
/// it returns the <see cref="IHttpClientBuilder"/>, so the client can be configured further. Calling it twice for the
/// same client adds the composition once.
/// <para>The client's primitives live in the registries that <c>AddResilience</c> registers, under the client's name
/// (see <see cref="ResilienceHttpClientBuilderExtensions"/>): with <c>services.AddResilientHttpClient("inventory", …)</c>,
/// <c>circuitBreakerRegistry.TryGet("inventory", out CircuitBreaker? breaker)</c> finds the breaker its requests go
/// through. A typed client is named after <c>TClient</c> unless an overload with a name is used.</para>
/// </remarks>
public static class ResilientHttpClientServiceCollectionExtensions
{
    /// <summary>Registers a named client with the standard composition and its defaults.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The client name.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddResilientHttpClient(this IServiceCollection services, string name) =>
        services.AddHttpClient(name).AddResilience();

    /// <summary>Registers a named client with the standard composition bound from configuration.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The client name; each layer binds the instance of that name.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration, such as <c>configuration.GetSection("Resilience")</c>.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddResilientHttpClient(this IServiceCollection services, string name, IConfigurationSection configuration) =>
        services.AddHttpClient(name).AddResilience(configuration);

    /// <summary>Registers a named client with the standard composition configured by a delegate.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The client name.</param>
    /// <param name="configure">Configures the layers.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddResilientHttpClient(this IServiceCollection services, string name, Action<HttpResilienceOptions> configure) =>
        services.AddHttpClient(name).AddResilience(configure);

    /// <summary>Registers a typed client with the standard composition and its defaults. The client is named after <typeparamref name="TClient"/>, as <c>AddHttpClient</c> names it.</summary>
    /// <typeparam name="TClient">The type callers ask for.</typeparam>
    /// <typeparam name="TImplementation">The type that receives the <see cref="HttpClient"/>.</typeparam>
    /// <param name="services">The services.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddResilientHttpClient<TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(this IServiceCollection services)
        where TClient : class
        where TImplementation : class, TClient =>
        services.AddHttpClient<TClient, TImplementation>().AddResilience();

    /// <summary>Registers a typed client with the standard composition bound from configuration; its instances are named after <typeparamref name="TClient"/>.</summary>
    /// <typeparam name="TClient">The type callers ask for.</typeparam>
    /// <typeparam name="TImplementation">The type that receives the <see cref="HttpClient"/>.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddResilientHttpClient<TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(this IServiceCollection services, IConfigurationSection configuration)
        where TClient : class
        where TImplementation : class, TClient =>
        services.AddHttpClient<TClient, TImplementation>().AddResilience(configuration);

    /// <summary>Registers a typed client with the standard composition configured by a delegate.</summary>
    /// <typeparam name="TClient">The type callers ask for.</typeparam>
    /// <typeparam name="TImplementation">The type that receives the <see cref="HttpClient"/>.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the layers.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddResilientHttpClient<TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(this IServiceCollection services, Action<HttpResilienceOptions> configure)
        where TClient : class
        where TImplementation : class, TClient =>
        services.AddHttpClient<TClient, TImplementation>().AddResilience(configure);

    /// <summary>Registers a typed client under <paramref name="name"/> with the standard composition and its defaults.</summary>
    /// <typeparam name="TClient">The type callers ask for.</typeparam>
    /// <typeparam name="TImplementation">The type that receives the <see cref="HttpClient"/>.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="name">The client name, in place of the name of <typeparamref name="TClient"/>: the layers are named after it.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddResilientHttpClient<TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(this IServiceCollection services, string name)
        where TClient : class
        where TImplementation : class, TClient =>
        services.AddHttpClient<TClient, TImplementation>(name).AddResilience();

    /// <summary>Registers a typed client under <paramref name="name"/> with the standard composition bound from configuration.</summary>
    /// <typeparam name="TClient">The type callers ask for.</typeparam>
    /// <typeparam name="TImplementation">The type that receives the <see cref="HttpClient"/>.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="name">The client name, in place of the name of <typeparamref name="TClient"/>; each layer binds the instance of that name, such as <c>CircuitBreaker:Instances:{name}</c>.</param>
    /// <param name="configuration">The root of the Resilience4j-shaped configuration.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddResilientHttpClient<TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(this IServiceCollection services, string name, IConfigurationSection configuration)
        where TClient : class
        where TImplementation : class, TClient =>
        services.AddHttpClient<TClient, TImplementation>(name).AddResilience(configuration);

    /// <summary>Registers a typed client under <paramref name="name"/> with the standard composition configured by a delegate.</summary>
    /// <typeparam name="TClient">The type callers ask for.</typeparam>
    /// <typeparam name="TImplementation">The type that receives the <see cref="HttpClient"/>.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="name">The client name, in place of the name of <typeparamref name="TClient"/>.</param>
    /// <param name="configure">Configures the layers.</param>
    /// <returns>The client builder.</returns>
    public static IHttpClientBuilder AddResilientHttpClient<TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(this IServiceCollection services, string name, Action<HttpResilienceOptions> configure)
        where TClient : class
        where TImplementation : class, TClient =>
        services.AddHttpClient<TClient, TImplementation>(name).AddResilience(configure);
}
