namespace Resilience.Identity;

/// <summary>
/// Validates <see cref="WorkloadAuthorizationOptions"/>: every problem at once, each message naming the full key, the
/// value and what is valid there.
/// </summary>
internal static class AuthorizationOptionsValidator
{
    /// <summary>The key prefix of options set in code: messages read "WorkloadAuthorizationOptions:Policies:…".</summary>
    public const string CodeKeyPrefix = nameof(WorkloadAuthorizationOptions) + ":";

    private const string Actions = $"{AuthorizationPolicyActions.Allow}, {AuthorizationPolicyActions.Deny} or {AuthorizationPolicyActions.Audit}";

    private const string ValueForms = "a value matched exactly (abc), by prefix (abc*) or suffix (*abc), or * for any non-empty value";

    /// <summary>The action in Istio's spelling, <see langword="null"/> when unset, or the value itself when it is not an action.</summary>
    public static string? NormalizeAction(string? action) => action switch
    {
        null => null,
        _ when string.Equals(action, AuthorizationPolicyActions.Allow, StringComparison.OrdinalIgnoreCase) => AuthorizationPolicyActions.Allow,
        _ when string.Equals(action, AuthorizationPolicyActions.Deny, StringComparison.OrdinalIgnoreCase) => AuthorizationPolicyActions.Deny,
        _ when string.Equals(action, AuthorizationPolicyActions.Audit, StringComparison.OrdinalIgnoreCase) => AuthorizationPolicyActions.Audit,
        _ => action,
    };

    /// <summary>Every problem of <paramref name="options"/>, one message each; empty when the options are valid.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="keyPrefix">What precedes <c>Policies</c>: <see cref="CodeKeyPrefix"/>, or a configuration path and ':'.</param>
    public static List<string> GetErrors(WorkloadAuthorizationOptions options, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(options.BindingErrors);
        foreach ((string name, AuthorizationPolicyOptions? policy) in options.Policies)
        {
            string key = $"{keyPrefix}Policies:{name}";
            if (string.IsNullOrEmpty(name))
            {
                errors.Add($"{key} has an empty name, but a policy's name must not be empty.");
            }

            if (policy is null)
            {
                errors.Add($"{key} is null, but it must be a policy.");
                continue;
            }

            string? action = NormalizeAction(policy.Action);
            if (action is not (null or AuthorizationPolicyActions.Allow or AuthorizationPolicyActions.Deny or AuthorizationPolicyActions.Audit))
            {
                string custom = string.Equals(action, "CUSTOM", StringComparison.OrdinalIgnoreCase) ? " (Istio's CUSTOM action is not supported)" : string.Empty;
                errors.Add($"{key}:Action is '{action}', but it must be {Actions}{custom}.");
            }

            for (int i = 0; i < policy.Rules.Count; i++)
            {
                CheckRule(policy.Rules[i], $"{key}:Rules:{i}", errors);
            }
        }

        return errors;
    }

    private static void CheckRule(AuthorizationRuleOptions? rule, string key, List<string> errors)
    {
        if (rule is null)
        {
            errors.Add($"{key} is null, but it must be a rule (an empty rule, {{}}, matches every request).");
            return;
        }

        for (int i = 0; i < rule.From.Count; i++)
        {
            AuthorizationSourceOptions? source = rule.From[i]?.Source;
            string sourceKey = $"{key}:From:{i}:Source";
            if (source is null || source.Principals.Count + source.NotPrincipals.Count + source.Namespaces.Count + source.NotNamespaces.Count == 0)
            {
                errors.Add($"{sourceKey} is {(source is null ? "missing" : "empty")}, but it must set at least one of Principals, NotPrincipals, Namespaces and NotNamespaces (leave From out to match any caller).");
                continue;
            }

            CheckValues(source.Principals, $"{sourceKey}:Principals", Kind.Identity, errors);
            CheckValues(source.NotPrincipals, $"{sourceKey}:NotPrincipals", Kind.Identity, errors);
            CheckValues(source.Namespaces, $"{sourceKey}:Namespaces", Kind.Identity, errors);
            CheckValues(source.NotNamespaces, $"{sourceKey}:NotNamespaces", Kind.Identity, errors);
        }

        for (int i = 0; i < rule.To.Count; i++)
        {
            AuthorizationOperationOptions? operation = rule.To[i]?.Operation;
            string operationKey = $"{key}:To:{i}:Operation";
            if (operation is null || operation.Methods.Count + operation.NotMethods.Count + operation.Paths.Count + operation.NotPaths.Count == 0)
            {
                errors.Add($"{operationKey} is {(operation is null ? "missing" : "empty")}, but it must set at least one of Methods, NotMethods, Paths and NotPaths (leave To out to match any request).");
                continue;
            }

            CheckValues(operation.Methods, $"{operationKey}:Methods", Kind.Method, errors);
            CheckValues(operation.NotMethods, $"{operationKey}:NotMethods", Kind.Method, errors);
            CheckValues(operation.Paths, $"{operationKey}:Paths", Kind.Path, errors);
            CheckValues(operation.NotPaths, $"{operationKey}:NotPaths", Kind.Path, errors);
        }
    }

    private enum Kind
    {
        Identity,
        Method,
        Path,
    }

    private static void CheckValues(IList<string> values, string key, Kind kind, List<string> errors)
    {
        for (int i = 0; i < values.Count; i++)
        {
            string? value = values[i];
            string? problem = Problem(value, kind);
            if (problem is not null)
            {
                string shown = value is null ? "null" : $"'{value}'";
                errors.Add($"{key}:{i} is {shown}, but it must be {problem}.");
            }
        }
    }

    private static string? Problem(string? value, Kind kind)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{ValueForms}; a value must not be empty";
        }

        int stars = value.AsSpan().Count('*');
        if (stars > 1 || (stars == 1 && value[0] != '*' && value[^1] != '*'))
        {
            return $"{ValueForms}; a '*' may only come first or last, once";
        }

        ReadOnlySpan<char> text = value.AsSpan().Trim('*');
        return kind switch
        {
            Kind.Method when !IsToken(text) => $"an HTTP method such as GET (letters, digits and !#$%&'*+-.^_`|~), {ValueForms}",
            Kind.Path when value[0] is not ('/' or '*') => $"a path starting with '/' or '*', {ValueForms}",
            _ => null,
        };
    }

    // RFC 9110 §5.6.2: token = 1*tchar.
    private static bool IsToken(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}
