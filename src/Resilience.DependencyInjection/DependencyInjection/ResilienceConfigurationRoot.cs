using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>
/// Says that a front-end reads a Resilience4j-shaped configuration section, so that every key of it is checked when
/// the host starts: the primitive sections, the <c>Configs</c> and <c>Instances</c> levels, and the shape of each
/// entry. Register it as a singleton service; <c>AddResilience(configuration)</c> and the HTTP clients of
/// Resilience.Http register theirs.
/// </summary>
/// <param name="configuration">The root of the configuration, such as <c>configuration.GetSection("Resilience")</c>.</param>
public sealed class ResilienceConfigurationRoot(IConfiguration configuration)
{
    /// <summary>Gets the root of the configuration.</summary>
    public IConfiguration Configuration { get; } = configuration ?? throw new ArgumentNullException(nameof(configuration));
}
