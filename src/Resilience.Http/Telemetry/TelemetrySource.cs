namespace Resilience.Http.Telemetry;

/// <summary>Who emits a measurement: the HTTP client and the instance of a primitive. Built once per handler slot.</summary>
internal sealed class TelemetrySource(string clientName, string instanceName, string kind)
{
    /// <summary>Gets the name of the HTTP client.</summary>
    public string ClientName { get; } = clientName;

    /// <summary>Gets the name of the primitive's instance.</summary>
    public string InstanceName { get; } = instanceName;

    /// <summary>Gets the client's name as log messages print it: <see cref="UnnamedLabel"/> for the unnamed client, so no field is printed empty.</summary>
    public string ClientLabel { get; } = Label(clientName);

    /// <summary>Gets the instance's name as log messages print it (the unnamed client's own instance is unnamed too).</summary>
    public string InstanceLabel { get; } = Label(instanceName);

    /// <summary>Gets the kind of primitive: one of the <see cref="ResilienceKinds"/> constants.</summary>
    public string Kind { get; } = kind;

    /// <summary>Gets the tag arrays of this source, built at first use and then shared by every measurement.</summary>
    internal SourceTags Tags => _tags ??= new SourceTags(ClientName, InstanceName);

    /// <summary>What log messages print for an empty name (the client registered without a name).</summary>
    public const string UnnamedLabel = "(unnamed)";

    private static string Label(string name) => name.Length == 0 ? UnnamedLabel : name;

    // A benign race: two threads may each build the tags; both are equal and one wins.
    private SourceTags? _tags;
}

/// <summary>The kinds of primitive, as used in registry keys and telemetry.</summary>
internal static class ResilienceKinds
{
    public const string CircuitBreaker = "circuit_breaker";
    public const string Retry = "retry";
    public const string TimeLimiter = "time_limiter";
    public const string Bulkhead = "bulkhead";
    public const string RateLimiter = "rate_limiter";
}
