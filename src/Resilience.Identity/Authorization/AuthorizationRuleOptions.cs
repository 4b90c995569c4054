namespace Resilience.Identity;

/// <summary>
/// A rule of an authorization policy: it matches a request when any of <see cref="From"/> matches its caller and any
/// of <see cref="To"/> matches the request; an empty list matches anything.
/// </summary>
public sealed class AuthorizationRuleOptions
{
    /// <summary>Gets the sources, any of which may match the caller.</summary>
    /// <value>The default value is empty: any caller, with or without an identity.</value>
    public IList<AuthorizationFromOptions> From { get; } = [];

    /// <summary>Gets the operations, any of which may match the request.</summary>
    /// <value>The default value is empty: any method and path.</value>
    public IList<AuthorizationToOptions> To { get; } = [];
}

/// <summary>An entry of a rule's <c>From</c>: one source.</summary>
public sealed class AuthorizationFromOptions
{
    /// <summary>Gets or sets the source; required, and it must set at least one field.</summary>
    /// <value>The default value is <see langword="null"/>, which fails validation.</value>
    public AuthorizationSourceOptions? Source { get; set; }
}

/// <summary>An entry of a rule's <c>To</c>: one operation.</summary>
public sealed class AuthorizationToOptions
{
    /// <summary>Gets or sets the operation; required, and it must set at least one field.</summary>
    /// <value>The default value is <see langword="null"/>, which fails validation.</value>
    public AuthorizationOperationOptions? Operation { get; set; }
}
