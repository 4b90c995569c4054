using Microsoft.Extensions.Configuration;

namespace Resilience.Identity;

/// <summary>
/// Binds <see cref="WorkloadAuthorizationOptions"/> from configuration in Istio's shape, by hand rather than with the
/// configuration binder: an empty object (<c>"Rules": [ {} ]</c>, a policy <c>{}</c>) must become an empty rule or
/// policy, and every key that is unknown, or that Istio has but this package does not support, must be reported with
/// its full path instead of being ignored.
/// </summary>
/// <remarks>Problems go to <see cref="WorkloadAuthorizationOptions.BindingErrors"/>, reported by validation.</remarks>
internal static class AuthorizationConfigurationBinder
{
    private static readonly string[] RootKeys = ["Policies"];
    private static readonly string[] PolicyKeys = ["Action", "Rules"];
    private static readonly string[] PolicyUnsupported = ["Selector", "TargetRef", "TargetRefs", "Provider"];
    private static readonly string[] RuleKeys = ["From", "To"];
    private static readonly string[] RuleUnsupported = ["When"];
    private static readonly string[] FromKeys = ["Source"];
    private static readonly string[] ToKeys = ["Operation"];
    private static readonly string[] SourceKeys = ["Principals", "NotPrincipals", "Namespaces", "NotNamespaces"];
    private static readonly string[] SourceUnsupported = ["RequestPrincipals", "NotRequestPrincipals", "IpBlocks", "NotIpBlocks", "RemoteIpBlocks", "NotRemoteIpBlocks", "ServiceAccounts", "NotServiceAccounts"];
    private static readonly string[] OperationKeys = ["Methods", "NotMethods", "Paths", "NotPaths"];
    private static readonly string[] OperationUnsupported = ["Hosts", "NotHosts", "Ports", "NotPorts"];

    /// <summary>Adds what <paramref name="section"/> holds to <paramref name="options"/>.</summary>
    public static void Bind(IConfigurationSection section, WorkloadAuthorizationOptions options)
    {
        List<string> errors = options.BindingErrors;
        foreach (IConfigurationSection child in Children(section, "the authorization configuration", RootKeys, [], errors))
        {
            foreach (IConfigurationSection entry in Children(child, "an object of named policies", null, [], errors))
            {
                if (!options.Policies.TryGetValue(entry.Key, out AuthorizationPolicyOptions? policy))
                {
                    policy = new AuthorizationPolicyOptions();
                    options.Policies[entry.Key] = policy;
                }

                BindPolicy(entry, policy, errors);
            }
        }
    }

    private static void BindPolicy(IConfigurationSection section, AuthorizationPolicyOptions policy, List<string> errors)
    {
        foreach (IConfigurationSection child in Children(section, "a policy", PolicyKeys, PolicyUnsupported, errors))
        {
            if (Is(child, "Action"))
            {
                policy.Action = Scalar(child, "ALLOW, DENY or AUDIT", errors);
                continue;
            }

            foreach (IConfigurationSection entry in Children(child, "a list of rules", null, [], errors))
            {
                var rule = new AuthorizationRuleOptions();
                policy.Rules.Add(rule);
                BindRule(entry, rule, errors);
            }
        }
    }

    private static void BindRule(IConfigurationSection section, AuthorizationRuleOptions rule, List<string> errors)
    {
        foreach (IConfigurationSection child in Children(section, "a rule", RuleKeys, RuleUnsupported, errors))
        {
            bool from = Is(child, "From");
            foreach (IConfigurationSection entry in Children(child, from ? "a list of sources" : "a list of operations", null, [], errors))
            {
                if (from)
                {
                    var item = new AuthorizationFromOptions();
                    rule.From.Add(item);
                    foreach (IConfigurationSection source in Children(entry, "an entry of From", FromKeys, [], errors))
                    {
                        item.Source = new AuthorizationSourceOptions();
                        BindSource(source, item.Source, errors);
                    }
                }
                else
                {
                    var item = new AuthorizationToOptions();
                    rule.To.Add(item);
                    foreach (IConfigurationSection operation in Children(entry, "an entry of To", ToKeys, [], errors))
                    {
                        item.Operation = new AuthorizationOperationOptions();
                        BindOperation(operation, item.Operation, errors);
                    }
                }
            }
        }
    }

    private static void BindSource(IConfigurationSection section, AuthorizationSourceOptions source, List<string> errors)
    {
        foreach (IConfigurationSection child in Children(section, "a source", SourceKeys, SourceUnsupported, errors))
        {
            IList<string> target = child.Key switch
            {
                _ when Is(child, "Principals") => source.Principals,
                _ when Is(child, "NotPrincipals") => source.NotPrincipals,
                _ when Is(child, "Namespaces") => source.Namespaces,
                _ => source.NotNamespaces,
            };
            BindList(child, target, errors);
        }
    }

    private static void BindOperation(IConfigurationSection section, AuthorizationOperationOptions operation, List<string> errors)
    {
        foreach (IConfigurationSection child in Children(section, "an operation", OperationKeys, OperationUnsupported, errors))
        {
            IList<string> target = child.Key switch
            {
                _ when Is(child, "Methods") => operation.Methods,
                _ when Is(child, "NotMethods") => operation.NotMethods,
                _ when Is(child, "Paths") => operation.Paths,
                _ => operation.NotPaths,
            };
            BindList(child, target, errors);
        }
    }

    private static void BindList(IConfigurationSection section, IList<string> target, List<string> errors)
    {
        foreach (IConfigurationSection item in Children(section, "a list of strings, such as [\"a\", \"b\"]", null, [], errors))
        {
            target.Add(Scalar(item, "a string", errors)!);
        }
    }

    /// <summary>
    /// The children of an object section, without those whose keys are not in <paramref name="keys"/> (any key when
    /// <see langword="null"/>), which are reported; a section holding a value instead of an object is reported too.
    /// </summary>
    private static List<IConfigurationSection> Children(IConfigurationSection section, string what, string[]? keys, string[] unsupported, List<string> errors)
    {
        var children = new List<IConfigurationSection>();
        if (!string.IsNullOrEmpty(section.Value))
        {
            errors.Add($"{section.Path} is '{section.Value}', but it must be {what}.");
            return children;
        }

        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (keys is null || Array.Exists(keys, k => Is(child, k)))
            {
                children.Add(child);
            }
            else if (Array.Exists(unsupported, k => Is(child, k)))
            {
                errors.Add($"{child.Path} is not supported: Istio has it, but this package evaluates only {string.Join(", ", keys)} in {what}.");
            }
            else
            {
                errors.Add($"{child.Path} is not a key of {what}; the keys are {string.Join(", ", keys)}.");
            }
        }

        return children;
    }

    private static string? Scalar(IConfigurationSection section, string what, List<string> errors)
    {
        if (section.Value is null && section.GetChildren().Any())
        {
            errors.Add($"{section.Path} is an object or a list, but it must be {what}.");
        }

        return section.Value;
    }

    private static bool Is(IConfigurationSection section, string key) => string.Equals(section.Key, key, StringComparison.OrdinalIgnoreCase);
}
