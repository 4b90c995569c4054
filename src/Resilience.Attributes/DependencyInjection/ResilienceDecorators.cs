using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Resilience.Attributes;

/// <summary>
/// The table of generated decorators that <c>AddResilient</c> and <c>DecorateResilient</c> read. The source generator
/// fills it from a module initializer of the assembly that holds the annotated types; user code does not call it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ResilienceDecorators
{
    private static readonly ConcurrentDictionary<(Type Service, Type? Implementation), Func<object, IServiceProvider, object>> Factories = new();

    /// <summary>Registers the decorator generated for an annotated interface: it wraps any implementation.</summary>
    /// <typeparam name="TService">The annotated interface.</typeparam>
    /// <param name="create">Creates the decorator over the implementation, resolving its chains from the services.</param>
    public static void Register<TService>(Func<TService, IServiceProvider, TService> create)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(create);
        Factories[(typeof(TService), null)] = (inner, services) => create((TService)inner, services);
    }

    /// <summary>Registers the decorator generated for an annotated class, as one of its interfaces.</summary>
    /// <typeparam name="TService">The interface the decorator implements.</typeparam>
    /// <typeparam name="TImplementation">The annotated class it wraps.</typeparam>
    /// <param name="create">Creates the decorator over the class, resolving its chains from the services.</param>
    public static void Register<TService, TImplementation>(Func<TImplementation, IServiceProvider, TService> create)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(create);
        Factories[(typeof(TService), typeof(TImplementation))] = (inner, services) => create((TImplementation)inner, services);
    }

    /// <summary>
    /// Finds the decorator for a service implemented by a type: the class's own when it carries attributes, else the
    /// interface's. Runs the module initializers of both types' assemblies first, so that a decorator generated in an
    /// assembly no code has touched yet is found.
    /// </summary>
    internal static Func<object, IServiceProvider, object>? Find(Type service, Type? implementation)
    {
        if (TryFind(service, implementation, out Func<object, IServiceProvider, object>? found))
        {
            return found;
        }

        RuntimeHelpers.RunModuleConstructor(service.Module.ModuleHandle);
        if (implementation is not null)
        {
            RuntimeHelpers.RunModuleConstructor(implementation.Module.ModuleHandle);
        }

        return TryFind(service, implementation, out found) ? found : null;
    }

    private static bool TryFind(Type service, Type? implementation, out Func<object, IServiceProvider, object>? found) =>
        (implementation is not null && Factories.TryGetValue((service, implementation), out found))
        || Factories.TryGetValue((service, null), out found);
}
