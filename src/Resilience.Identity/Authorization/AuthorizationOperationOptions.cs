namespace Resilience.Identity;

/// <summary>
/// The request a rule matches. Every field that is set must match; within a field any value may match, and a
/// <c>Not</c> field matches when none of its values does.
/// </summary>
/// <remarks>
/// A value matches exactly (<c>GET</c>, <c>/api/orders</c>), by prefix (<c>/api/*</c>), by suffix (<c>*.json</c>), or is
/// <c>*</c>, which matches any non-empty value. Matching is case-sensitive. The path is the request's path base and path,
/// as Kestrel decoded and normalized it, without the query string.
/// </remarks>
public sealed class AuthorizationOperationOptions
{
    /// <summary>Gets the HTTP methods, such as <c>GET</c>.</summary>
    /// <value>The default value is empty: any method.</value>
    public IList<string> Methods { get; } = [];

    /// <summary>Gets the HTTP methods that must not match.</summary>
    /// <value>The default value is empty.</value>
    public IList<string> NotMethods { get; } = [];

    /// <summary>Gets the paths; each starts with <c>/</c> or <c>*</c>.</summary>
    /// <value>The default value is empty: any path.</value>
    public IList<string> Paths { get; } = [];

    /// <summary>Gets the paths that must not match.</summary>
    /// <value>The default value is empty.</value>
    public IList<string> NotPaths { get; } = [];
}
