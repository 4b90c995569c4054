using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Resilience.Http.DependencyInjection;

/// <summary>
/// Reads named options, and keeps the last ones that passed validation: after a reload brings an invalid value,
/// <see cref="IOptionsMonitor{TOptions}.Get(string)"/> throws until the configuration is fixed, but new clients and
/// new handler chains keep running on the last good options, as the reloadable slots do.
/// </summary>
/// <remarks>Read when handlers are built and on reloads, never per request. The first read has nothing to fall back to and throws.</remarks>
internal sealed class LastGoodOptions
{
    private readonly ConcurrentDictionary<(Type Type, string Name), object> _values = new();

    public TOptions Get<TOptions>(IOptionsMonitor<TOptions> monitor, string name)
        where TOptions : class
    {
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
