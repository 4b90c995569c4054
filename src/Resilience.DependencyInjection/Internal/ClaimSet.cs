namespace Resilience.DependencyInjection;

/// <summary>The instances of the configuration that other front-ends claim (see <see cref="ResilienceConfigurationClaim"/>).</summary>
internal sealed class ClaimSet(IEnumerable<ResilienceConfigurationClaim> claims)
{
    private readonly HashSet<string> _claims = new(claims.Select(c => Key(c.Primitive, c.InstanceName)), StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the instance <paramref name="instanceName"/> of <paramref name="primitive"/> is claimed.</summary>
    public bool IsClaimed(string primitive, string instanceName) => _claims.Count != 0 && _claims.Contains(Key(primitive, instanceName));

    private static string Key(string primitive, string instanceName) => primitive + "\u001f" + instanceName;
}
