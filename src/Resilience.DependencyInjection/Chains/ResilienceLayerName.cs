namespace Resilience.DependencyInjection;

/// <summary>
/// One layer of a chain asked of <see cref="IResilienceChainProvider.GetChain(ReadOnlySpan{ResilienceLayerName})"/>: a
/// primitive and the name of its instance in that primitive's registry (Resilience4j's annotation members).
/// </summary>
public readonly struct ResilienceLayerName : IEquatable<ResilienceLayerName>
{
    /// <summary>Initializes a new instance of the <see cref="ResilienceLayerName"/> struct.</summary>
    /// <param name="primitive">
    /// The primitive: one of <see cref="ResilienceConfiguration.Retry"/>, <see cref="ResilienceConfiguration.CircuitBreaker"/>,
    /// <see cref="ResilienceConfiguration.RateLimiter"/>, <see cref="ResilienceConfiguration.TimeLimiter"/>,
    /// <see cref="ResilienceConfiguration.Bulkhead"/> or <see cref="ResilienceConfiguration.ThreadPoolBulkhead"/>.
    /// </param>
    /// <param name="name">The instance name; compared without regard to case.</param>
    /// <param name="configuration">
    /// The shared configuration (<c>{Primitive}:Configs:{configuration}</c>) an instance that does not exist yet is created
    /// from; <see langword="null"/> (the default) for the instance's own configuration, else the <c>default</c> one.
    /// </param>
    /// <param name="permits">The permits a rate limiter layer takes per call (Resilience4j's <c>permits</c>); 1 by default.</param>
    /// <exception cref="ArgumentException">The primitive is unknown, the name is empty, or <paramref name="permits"/> is below 1.</exception>
    public ResilienceLayerName(string primitive, string name, string? configuration = null, int permits = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!IsPrimitive(primitive))
        {
            throw new ArgumentException($"Unknown primitive '{primitive}': expected one of {ResilienceConfiguration.Retry}, {ResilienceConfiguration.CircuitBreaker}, {ResilienceConfiguration.RateLimiter}, {ResilienceConfiguration.TimeLimiter}, {ResilienceConfiguration.Bulkhead}, {ResilienceConfiguration.ThreadPoolBulkhead}.", nameof(primitive));
        }

        if (configuration is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        }

        if (permits < 1 || (permits > 1 && primitive != ResilienceConfiguration.RateLimiter))
        {
            throw new ArgumentOutOfRangeException(nameof(permits), permits, $"Permits of {primitive} '{name}' must be 1, or any value of at least 1 for a {ResilienceConfiguration.RateLimiter}.");
        }

        Primitive = primitive;
        Name = name;
        Configuration = configuration;
        Permits = permits;
    }

    /// <summary>Gets the primitive, one of the <see cref="ResilienceConfiguration"/> primitive names.</summary>
    public string Primitive { get; }

    /// <summary>Gets the instance name.</summary>
    public string Name { get; }

    /// <summary>Gets the shared configuration a missing instance is created from, or <see langword="null"/>.</summary>
    public string? Configuration { get; }

    /// <summary>Gets the permits a rate limiter layer takes per call.</summary>
    public int Permits { get; }

    /// <summary>Tells whether two layers name the same instance the same way.</summary>
    /// <param name="left">The first layer.</param>
    /// <param name="right">The second layer.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(ResilienceLayerName left, ResilienceLayerName right) => left.Equals(right);

    /// <summary>Tells whether two layers differ.</summary>
    /// <param name="left">The first layer.</param>
    /// <param name="right">The second layer.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(ResilienceLayerName left, ResilienceLayerName right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(ResilienceLayerName other) =>
        Primitive == other.Primitive
        && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Configuration, other.Configuration, StringComparison.OrdinalIgnoreCase)
        && Permits == other.Permits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ResilienceLayerName other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(Primitive, StringComparer.OrdinalIgnoreCase.GetHashCode(Name ?? string.Empty), Configuration is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Configuration), Permits);

    /// <summary>Gets the layer as <c>{Primitive}:{Name}</c>, with the configuration and permits when set.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{Primitive}:{Name}{(Configuration is null ? string.Empty : $" (configuration {Configuration})")}{(Permits == 1 ? string.Empty : $" ({Permits} permits)")}";

    private static bool IsPrimitive(string? primitive) => primitive is ResilienceConfiguration.Retry or ResilienceConfiguration.CircuitBreaker
        or ResilienceConfiguration.RateLimiter or ResilienceConfiguration.TimeLimiter or ResilienceConfiguration.Bulkhead or ResilienceConfiguration.ThreadPoolBulkhead;
}
