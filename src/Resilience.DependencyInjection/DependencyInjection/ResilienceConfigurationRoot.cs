using Microsoft.Extensions.Configuration;

namespace Resilience.DependencyInjection;

/// <summary>
/// Says that a front-end reads a Resilience4j-shaped configuration section, so that every key of it is checked when
/// the host starts: the primitive sections, the <c>Configs</c> and <c>Instances</c> levels, and the shape of each
/// entry. Register it as a singleton service; <c>AddResilience(configuration)</c> and the HTTP clients of
/// Resilience.Http register theirs.
/// </summary>
/// <remarks>
/// When the host starts, instances of the section that nothing reads are logged in one warning, each with the nearest
/// name that something does read: an instance is read when a <see cref="ResilienceConfigurationClaim"/> names it, and
/// may be read when <c>AddResilience</c> binds the section (it creates every instance in the registries, where code gets
/// it by name) or when <paramref name="namesKnownLater"/>; those are reported only when their name is one or two edits
/// from a claimed one, as <c>inventroy</c> is from <c>inventory</c>.
/// </remarks>
/// <param name="configuration">The root of the configuration, such as <c>configuration.GetSection("Resilience")</c>.</param>
/// <param name="namesKnownLater">Whether the front-end reads instances whose names are known only later, such as a registration for every HTTP client.</param>
public sealed class ResilienceConfigurationRoot(IConfiguration configuration, bool namesKnownLater = false)
{
    /// <summary>Gets the root of the configuration.</summary>
    public IConfiguration Configuration { get; } = configuration ?? throw new ArgumentNullException(nameof(configuration));

    /// <summary>Gets whether the front-end reads instances whose names are known only later, so that an instance no claim names may still be read.</summary>
    public bool NamesKnownLater { get; } = namesKnownLater;
}
