namespace Resilience.Identity;

/// <summary>
/// The authorization policies of this workload, in the shape of Istio's <c>AuthorizationPolicy</c>: each policy has an
/// action (ALLOW, DENY or AUDIT) and rules that match the calling workload (<c>From</c>) and the request (<c>To</c>).
/// </summary>
/// <remarks>
/// <para>Bound from configuration such as <c>Authorization:Policies:{name}:Action</c> and
/// <c>Authorization:Policies:{name}:Rules:0:From:0:Source:Principals:0</c>, or set in code.</para>
/// <para>Every request is decided in Istio's order: a matching DENY policy denies; otherwise, with no ALLOW policy the
/// request is allowed; otherwise a matching ALLOW policy allows it; otherwise it is denied. AUDIT policies never change
/// the decision: a matching one is logged. A denied request gets 403.</para>
/// <para>Not supported, unlike Istio: <c>when</c> conditions, the CUSTOM action, workload selectors and target
/// references (the policies apply to the whole application), request principals, IP blocks, hosts and ports, and path
/// templates (<c>{*}</c>, <c>{**}</c>). Such keys are validation errors, so that no policy is silently weaker than
/// written.</para>
/// </remarks>
public sealed class WorkloadAuthorizationOptions
{
    /// <summary>Gets the policies by name; the name is only reported in logs.</summary>
    /// <value>The default value is empty: no policy, so every request is allowed.</value>
    public IDictionary<string, AuthorizationPolicyOptions> Policies { get; } = new Dictionary<string, AuthorizationPolicyOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Problems found while binding configuration (unknown keys, values where objects belong), reported by validation.</summary>
    internal List<string> BindingErrors { get; } = [];
}

/// <summary>One authorization policy: an action and the rules that trigger it.</summary>
public sealed class AuthorizationPolicyOptions
{
    /// <summary>Gets or sets what the policy does to a request that one of its rules matches.</summary>
    /// <value>The default value is <see langword="null"/>, which means <see cref="AuthorizationPolicyActions.Allow"/>, as in
    /// Istio. Valid values are <c>ALLOW</c>, <c>DENY</c> and <c>AUDIT</c>, in any case.</value>
    public string? Action { get; set; }

    /// <summary>Gets the rules; a request matches the policy when any rule matches it.</summary>
    /// <value>The default value is empty: the policy matches nothing. An ALLOW policy without rules thus allows nothing
    /// (Istio's <c>spec: {}</c>, "allow-nothing"), while a rule without <c>From</c> and <c>To</c> matches everything
    /// (Istio's <c>rules: [{}]</c>, "allow-all" or, with DENY, "deny-all").</value>
    public IList<AuthorizationRuleOptions> Rules { get; } = [];
}

/// <summary>The actions of an authorization policy, as Istio spells them.</summary>
public static class AuthorizationPolicyActions
{
    /// <summary>Allows a request that a rule matches; once any ALLOW policy exists, requests that none matches are denied.</summary>
    public const string Allow = "ALLOW";

    /// <summary>Denies a request that a rule matches, whatever the ALLOW policies say.</summary>
    public const string Deny = "DENY";

    /// <summary>Logs a request that a rule matches, without changing the decision.</summary>
    public const string Audit = "AUDIT";
}
