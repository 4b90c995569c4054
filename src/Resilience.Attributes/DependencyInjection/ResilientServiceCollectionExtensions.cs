using System.Diagnostics.CodeAnalysis;
using Resilience.Attributes;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers services wrapped in the decorators that the attributes of Resilience.Attributes generate at compile time.
/// </summary>
/// <remarks>
/// The decorator resolves its chains once, when it is created, through <c>IResilienceChainProvider</c>; both methods
/// call <c>AddResilience()</c>, so call <c>AddResilience(configuration)</c> as well to configure the instances. A service
/// whose types carry no attribute has no decorator: registering it throws at once.
/// </remarks>
public static class ResilientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TImplementation"/> as <typeparamref name="TService"/>, wrapped in its generated
    /// decorator, both with <paramref name="lifetime"/>.
    /// </summary>
    /// <typeparam name="TService">The service interface.</typeparam>
    /// <typeparam name="TImplementation">The implementation; the container creates it.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="lifetime">The lifetime of the implementation and of its decorator; scoped by default.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="InvalidOperationException">No decorator was generated for the service or the implementation.</exception>
    public static IServiceCollection AddResilient<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(
        this IServiceCollection services, ServiceLifetime lifetime = ServiceLifetime.Scoped)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(services);
        Func<object, IServiceProvider, object> decorate = FindOrThrow(typeof(TService), typeof(TImplementation));
        object key = new ImplementationKey(typeof(TService));
        services.AddResilience();
        services.Add(ServiceDescriptor.DescribeKeyed(typeof(TImplementation), key, typeof(TImplementation), lifetime));
        services.Add(ServiceDescriptor.Describe(typeof(TService), sp => decorate(sp.GetRequiredKeyedService<TImplementation>(key), sp), lifetime));
        return services;
    }

    /// <summary>
    /// Wraps the last registration of <typeparamref name="TService"/> in its generated decorator, keeping its lifetime.
    /// The decorator of the registered class is taken when it carries attributes (known for a type or an instance, not
    /// for a factory), else the interface's.
    /// </summary>
    /// <typeparam name="TService">The service interface, already registered.</typeparam>
    /// <param name="services">The services.</param>
    /// <returns>The services, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The service is not registered, or no decorator was generated for it.</exception>
    public static IServiceCollection DecorateResilient<TService>(this IServiceCollection services)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        int index = -1;
        for (int i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException($"DecorateResilient<{typeof(TService).Name}>() found no registration of {typeof(TService).FullName} to decorate: register it first, or use AddResilient<{typeof(TService).Name}, TImplementation>().");
        }

        ServiceDescriptor inner = services[index];
        Func<object, IServiceProvider, object> decorate = FindOrThrow(typeof(TService), inner.ImplementationType ?? inner.ImplementationInstance?.GetType());
        object key = new ImplementationKey(typeof(TService));
        ServiceDescriptor keyed = inner switch
        {
            { ImplementationInstance: { } instance } => ServiceDescriptor.KeyedSingleton(typeof(TService), key, instance),
            { ImplementationFactory: { } factory } => ServiceDescriptor.DescribeKeyed(typeof(TService), key, (sp, _) => factory(sp), inner.Lifetime),
            _ => ServiceDescriptor.DescribeKeyed(typeof(TService), key, inner.ImplementationType!, inner.Lifetime),
        };
        services.AddResilience();
        services[index] = ServiceDescriptor.Describe(typeof(TService), sp => decorate(sp.GetRequiredKeyedService<TService>(key), sp), inner.Lifetime);
        services.Add(keyed);
        return services;
    }

    private static Func<object, IServiceProvider, object> FindOrThrow(Type service, Type? implementation) =>
        ResilienceDecorators.Find(service, implementation)
        ?? throw new InvalidOperationException(
            $"No resilience decorator was generated for {service.FullName}{(implementation is null ? string.Empty : $" or {implementation.FullName}")}: put [CircuitBreaker], [Retry], [RateLimiter], [TimeLimiter] or [Bulkhead] on the interface, its members, or the implementing class, in a project that references Resilience4Net.Attributes.");

    /// <summary>The key of the implementation a decorator wraps: private to each registration.</summary>
    private sealed class ImplementationKey(Type service)
    {
        public override string ToString() => $"resilience-decorated {service.Name}";
    }
}
