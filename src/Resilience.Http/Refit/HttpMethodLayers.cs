using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http;

/// <summary>
/// The per-request table of Refit interfaces: for each method, the names of the <c>[Retry]</c> and
/// <c>[CircuitBreaker]</c> that the client's handler applies to its HTTP requests. The source generator of
/// Resilience.Attributes fills it from a module initializer of the assembly that holds the annotated interface, when
/// that assembly references this package; user code does not call it.
/// </summary>
/// <remarks>
/// A layer that the table names runs per request, inside the decorator's call, and the generated decorator leaves it
/// out of its own chain, so that no method gets the same layer twice. Register the handler with
/// <see cref="ResilienceHttpClientBuilderExtensions.AddMethodResilience{TClient}"/>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HttpMethodLayers
{
    private static readonly ConcurrentDictionary<Type, ConcurrentDictionary<string, MethodLayerNames>> Tables = new();

    /// <summary>Registers the per-request layers of one method of a Refit interface.</summary>
    /// <param name="client">The Refit interface.</param>
    /// <param name="method">The method's name, as Refit publishes it in the request's options.</param>
    /// <param name="retry">The retry instance, or <see langword="null"/>.</param>
    /// <param name="circuitBreaker">The circuit breaker instance, or <see langword="null"/>.</param>
    public static void Register(Type client, string method, string? retry, string? circuitBreaker)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(method);
        Tables.GetOrAdd(client, static _ => new ConcurrentDictionary<string, MethodLayerNames>(StringComparer.Ordinal))[method] = new MethodLayerNames(retry, circuitBreaker);
    }

    /// <summary>
    /// Throws when the per-request layers of <paramref name="client"/> have no handler in <paramref name="services"/>:
    /// the generated decorator calls it once, when it is created, so that a forgotten registration fails at once
    /// rather than leaving the methods without their retry and breaker.
    /// </summary>
    /// <param name="client">The Refit interface.</param>
    /// <param name="services">The services the decorator is created from.</param>
    /// <exception cref="InvalidOperationException">No client registration added the handler for <paramref name="client"/>.</exception>
    public static void EnsureAdded(Type client, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(services);
        if (!services.GetServices<MethodLayersRegistration>().Any(r => r.Client == client))
        {
            throw new InvalidOperationException(
                $"The Refit methods of {client.FullName} carry [Retry] or [CircuitBreaker], which run per HTTP request: add .AddMethodResilience<{client.Name}>(configuration) to the registration of its client.");
        }
    }

    /// <summary>Finds the table of <paramref name="client"/>, running its assembly's module initializer first.</summary>
    internal static IReadOnlyDictionary<string, MethodLayerNames>? Find(Type client)
    {
        if (!Tables.TryGetValue(client, out ConcurrentDictionary<string, MethodLayerNames>? table))
        {
            RuntimeHelpers.RunModuleConstructor(client.Module.ModuleHandle);
            Tables.TryGetValue(client, out table);
        }

        return table;
    }
}

/// <summary>The instance names of one method's per-request layers.</summary>
internal sealed record MethodLayerNames(string? Retry, string? CircuitBreaker);

/// <summary>Marks, in the services, that a client registration handles the per-request layers of a Refit interface.</summary>
internal sealed record MethodLayersRegistration(Type Client);
