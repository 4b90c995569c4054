namespace Resilience.Identity;

/// <summary>What a request is decided on: the caller's identity as Istio reads it, and the HTTP method and path.</summary>
/// <param name="Principal">The caller's principal (<see cref="SpiffeId.Principal"/>), or <see langword="null"/> for none.</param>
/// <param name="Namespace">The caller's namespace (<see cref="SpiffeId.Namespace"/>), or <see langword="null"/> for none.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathBase">The request's path base; usually empty.</param>
/// <param name="Path">The request's path after <paramref name="PathBase"/>.</param>
internal readonly ref struct AuthorizationRequest(string? Principal, string? Namespace, string Method, ReadOnlySpan<char> PathBase, ReadOnlySpan<char> Path)
{
    public string? Principal { get; } = Principal;

    public string? Namespace { get; } = Namespace;

    public string Method { get; } = Method;

    public ReadOnlySpan<char> PathBase { get; } = PathBase;

    public ReadOnlySpan<char> Path { get; } = Path;
}

/// <summary>The decision on a request, and the policy and rule that made it.</summary>
/// <param name="Allowed">Whether the request may go on.</param>
/// <param name="Policy">The DENY or ALLOW policy that matched; <see langword="null"/> when no policy decided (no ALLOW
/// policy exists, or none matched).</param>
/// <param name="RuleIndex">The index of the matching rule in <paramref name="Policy"/>, or -1.</param>
internal readonly record struct AuthorizationDecision(bool Allowed, CompiledPolicy? Policy, int RuleIndex);

/// <summary>
/// The policies in force, compiled: immutable, evaluated without locks or allocations, and replaced as a whole when the
/// configuration changes.
/// </summary>
internal sealed class AuthorizationSnapshot
{
    private AuthorizationSnapshot(CompiledPolicy[] deny, CompiledPolicy[] allow, CompiledPolicy[] audit)
    {
        Deny = deny;
        Allow = allow;
        Audit = audit;
    }

    /// <summary>The snapshot of no policy: everything is allowed.</summary>
    public static AuthorizationSnapshot Empty { get; } = new([], [], []);

    public CompiledPolicy[] Deny { get; }

    public CompiledPolicy[] Allow { get; }

    public CompiledPolicy[] Audit { get; }

    /// <summary>Compiles validated options.</summary>
    public static AuthorizationSnapshot Compile(WorkloadAuthorizationOptions options)
    {
        var deny = new List<CompiledPolicy>();
        var allow = new List<CompiledPolicy>();
        var audit = new List<CompiledPolicy>();
        foreach ((string name, AuthorizationPolicyOptions policy) in options.Policies)
        {
            string action = AuthorizationOptionsValidator.NormalizeAction(policy.Action) ?? AuthorizationPolicyActions.Allow;
            var compiled = new CompiledPolicy(name, action, [.. policy.Rules.Select(CompiledRule.Create)]);
            (action switch
            {
                AuthorizationPolicyActions.Deny => deny,
                AuthorizationPolicyActions.Audit => audit,
                _ => allow,
            }).Add(compiled);
        }

        return new AuthorizationSnapshot([.. deny], [.. allow], [.. audit]);
    }

    /// <summary>Decides in Istio's order: any matching DENY denies; no ALLOW policy allows; a matching ALLOW allows; else deny.</summary>
    public AuthorizationDecision Evaluate(in AuthorizationRequest request)
    {
        foreach (CompiledPolicy policy in Deny)
        {
            int rule = policy.Match(request);
            if (rule >= 0)
            {
                return new AuthorizationDecision(false, policy, rule);
            }
        }

        if (Allow.Length == 0)
        {
            return new AuthorizationDecision(true, null, -1);
        }

        foreach (CompiledPolicy policy in Allow)
        {
            int rule = policy.Match(request);
            if (rule >= 0)
            {
                return new AuthorizationDecision(true, policy, rule);
            }
        }

        return new AuthorizationDecision(false, null, -1);
    }
}

/// <summary>A policy: its name, action and rules, any of which may match.</summary>
internal sealed class CompiledPolicy(string name, string action, CompiledRule[] rules)
{
    public string Name { get; } = name;

    public string Action { get; } = action;

    /// <summary>The index of the first rule that matches, or -1; a policy without rules matches nothing.</summary>
    public int Match(in AuthorizationRequest request)
    {
        for (int i = 0; i < rules.Length; i++)
        {
            if (rules[i].Matches(request))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A rule: any source and any operation must match; an empty list matches anything.</summary>
internal sealed class CompiledRule(CompiledSource[] from, CompiledOperation[] to)
{
    public static CompiledRule Create(AuthorizationRuleOptions rule) => new(
        [.. rule.From.Select(static f => new CompiledSource(f.Source!))],
        [.. rule.To.Select(static t => new CompiledOperation(t.Operation!))]);

    public bool Matches(in AuthorizationRequest request) => AnySource(request) && AnyOperation(request);

    private bool AnySource(in AuthorizationRequest request)
    {
        if (from.Length == 0)
        {
            return true;
        }

        foreach (CompiledSource source in from)
        {
            if (source.Matches(request))
            {
                return true;
            }
        }

        return false;
    }

    private bool AnyOperation(in AuthorizationRequest request)
    {
        if (to.Length == 0)
        {
            return true;
        }

        foreach (CompiledOperation operation in to)
        {
            if (operation.Matches(request))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A source: every field that is set must match (a <c>Not</c> field: none of its values).</summary>
internal sealed class CompiledSource(AuthorizationSourceOptions source)
{
    private readonly Field _principals = new(source.Principals, source.NotPrincipals);
    private readonly Field _namespaces = new(source.Namespaces, source.NotNamespaces);

    public bool Matches(in AuthorizationRequest request) =>
        _principals.Matches(request.Principal, []) && _namespaces.Matches(request.Namespace, []);
}

/// <summary>An operation: every field that is set must match (a <c>Not</c> field: none of its values).</summary>
internal sealed class CompiledOperation(AuthorizationOperationOptions operation)
{
    private readonly Field _methods = new(operation.Methods, operation.NotMethods);
    private readonly Field _paths = new(operation.Paths, operation.NotPaths);

    public bool Matches(in AuthorizationRequest request) =>
        _methods.Matches(request.Method, []) && _paths.Matches(request.PathBase, request.Path);
}

/// <summary>A field and its negation: an empty list is not set and matches anything.</summary>
internal readonly struct Field(IEnumerable<string> values, IEnumerable<string> notValues)
{
    private readonly ValueMatcher[] _values = [.. values.Select(ValueMatcher.Create)];
    private readonly ValueMatcher[] _notValues = [.. notValues.Select(ValueMatcher.Create)];

    public bool Matches(ReadOnlySpan<char> head, ReadOnlySpan<char> tail) =>
        (_values.Length == 0 || ValueMatcher.Any(_values, head, tail))
        && (_notValues.Length == 0 || !ValueMatcher.Any(_notValues, head, tail));
}
