namespace Resilience.Routing.DependencyInjection;

/// <summary>The clients that opted in with <c>AddEndpointHedging</c>, each with the prefix its validation messages give its keys.</summary>
internal sealed class EndpointHedgingClients
{
    /// <summary>Gets, per client name, <c>Section:Path:</c> when bound from configuration, else <c>EndpointHedgingOptions[name].</c>.</summary>
    public Dictionary<string, string> KeyPrefixes { get; } = new(StringComparer.Ordinal);
}
