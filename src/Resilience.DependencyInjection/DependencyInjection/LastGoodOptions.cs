using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Resilience.DependencyInjection;

/// <summary>
/// Reads named options and keeps the last ones that passed validation: after a reload brings an invalid value,
/// <see cref="IOptionsMonitor{TOptions}.Get(string)"/> throws until the configuration is fixed, but whatever is built
/// afterwards (a registry, an HTTP client's handlers) keeps running on the last good options.
/// </summary>
/// <remarks>
/// A singleton service, registered by <c>AddResilience</c>. Read when something is built and on reloads, never per
/// call. The first read of a name has nothing to fall back to: invalid options throw
/// <see cref="OptionsValidationException"/> then.
/// </remarks>
public sealed class LastGoodOptions
{
    private readonly ConcurrentDictionary<(Type Type, string Name), object> _values = new();

    /// <summary>Gets the options of <paramref name="name"/>, or the last valid ones while they are invalid.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="monitor">The options monitor.</param>
    /// <param name="name">The options name.</param>
    /// <returns>The options.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid and were never valid before.</exception>
    public TOptions Get<TOptions>(IOptionsMonitor<TOptions> monitor, string name)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            TOptions options = monitor.Get(name);
            _values[(typeof(TOptions), name)] = options;
            return options;
        }
        catch (OptionsValidationException) when (_values.TryGetValue((typeof(TOptions), name), out object? last))
        {
            return (TOptions)last;
        }
    }
}
