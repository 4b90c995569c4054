namespace Resilience.Identity;

/// <summary>
/// The calling workload a rule matches. Every field that is set must match; within a field any value may match, and a
/// <c>Not</c> field matches when none of its values does.
/// </summary>
/// <remarks>
/// <para>A value matches exactly (<c>abc</c>), by prefix (<c>abc*</c>), by suffix (<c>*abc</c>), or is <c>*</c>, which
/// matches any non-empty value. Matching is case-sensitive.</para>
/// <para>The caller is the SPIFFE ID in the request's <see cref="SpiffeId.ClaimType"/> claim. A request without one
/// (or with one that is not a SPIFFE ID) has no principal and no namespace: it matches no value of
/// <see cref="Principals"/> or <see cref="Namespaces"/>, not even <c>*</c>, and it matches every
/// <see cref="NotPrincipals"/> and <see cref="NotNamespaces"/>, as a plaintext request does in Istio.</para>
/// </remarks>
public sealed class AuthorizationSourceOptions
{
    /// <summary>Gets the principals, as Istio writes them: the SPIFFE ID without <c>spiffe://</c>, such as
    /// <c>cluster.local/ns/default/sa/order-service</c> (<see cref="SpiffeId.Principal"/>).</summary>
    /// <value>The default value is empty: any principal, or none.</value>
    public IList<string> Principals { get; } = [];

    /// <summary>Gets the principals that must not match.</summary>
    /// <value>The default value is empty.</value>
    public IList<string> NotPrincipals { get; } = [];

    /// <summary>Gets the namespaces: the segment after <c>/ns/</c> in the caller's SPIFFE ID (<see cref="SpiffeId.Namespace"/>).</summary>
    /// <value>The default value is empty: any namespace, or none.</value>
    public IList<string> Namespaces { get; } = [];

    /// <summary>Gets the namespaces that must not match.</summary>
    /// <value>The default value is empty.</value>
    public IList<string> NotNamespaces { get; } = [];
}
