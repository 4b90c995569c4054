using Microsoft.Extensions.Configuration;

namespace CascadeDemo;

/// <summary>
/// A configuration source the demo adds to Warehouse (D) and changes at run time, as an operator would edit its
/// appsettings.json: each change raises a reload, and the fault injection middleware reads its options per request.
/// </summary>
internal sealed class FaultSwitch : ConfigurationProvider, IConfigurationSource
{
    /// <summary>Replaces the settings and signals a reload.</summary>
    public void Set(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Data = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
        OnReload();
    }

    /// <inheritdoc/>
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
}
