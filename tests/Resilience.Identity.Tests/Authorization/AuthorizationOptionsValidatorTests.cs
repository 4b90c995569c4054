namespace Resilience.Identity.Tests.Authorization;

/// <summary>Validation messages: each names the full configuration key, the value and what is valid there.</summary>
public class AuthorizationOptionsValidatorTests
{
    private static List<string> Errors(string json) => AuthorizationOptionsValidator.GetErrors(PolicyJson.Bind(json), "Authorization:");

    [Fact]
    public void GetErrors_BadAction_NamesKeyValueAndValidSet()
    {
        Errors("""{ "Policies": { "deny-admin": { "Action": "PERMIT" } } }""").Should().Equal(
            "Authorization:Policies:deny-admin:Action is 'PERMIT', but it must be ALLOW, DENY or AUDIT.");
    }

    [Fact]
    public void GetErrors_CustomAction_SaysItIsNotSupported()
    {
        Errors("""{ "Policies": { "ext": { "Action": "CUSTOM" } } }""").Should().ContainSingle().Which.Should().Contain("CUSTOM action is not supported");
    }

    [Fact]
    public void GetErrors_MethodNotAToken_NamesIndexedKey()
    {
        Errors("""{ "Policies": { "deny-admin": { "Action": "DENY", "Rules": [ { "To": [ { "Operation": { "Methods": [ "GET", "GE T" ] } } ] } ] } } }""")
            .Should().Equal("Authorization:Policies:deny-admin:Rules:0:To:0:Operation:Methods:1 is 'GE T', but it must be an HTTP method such as GET (letters, digits and !#$%&'*+-.^_`|~), a value matched exactly (abc), by prefix (abc*) or suffix (*abc), or * for any non-empty value.");
    }

    [Theory]
    [InlineData("/api/*/orders")]
    [InlineData("*/api*")]
    [InlineData("/a**")]
    public void GetErrors_StarInTheMiddle_IsRejected(string path)
    {
        Errors($$"""{ "Policies": { "p": { "Rules": [ { "To": [ { "Operation": { "Paths": [ "{{path}}" ] } } ] } ] } } }""")
            .Should().Equal($"Authorization:Policies:p:Rules:0:To:0:Operation:Paths:0 is '{path}', but it must be a value matched exactly (abc), by prefix (abc*) or suffix (*abc), or * for any non-empty value; a '*' may only come first or last, once.");
    }

    [Fact]
    public void GetErrors_EmptyValue_IsRejected()
    {
        Errors("""{ "Policies": { "p": { "Rules": [ { "From": [ { "Source": { "Principals": [ "" ] } } ] } ] } } }""")
            .Should().Equal("Authorization:Policies:p:Rules:0:From:0:Source:Principals:0 is '', but it must be a value matched exactly (abc), by prefix (abc*) or suffix (*abc), or * for any non-empty value; a value must not be empty.");
    }

    [Fact]
    public void GetErrors_PathNotStartingWithSlashOrStar_IsRejected()
    {
        Errors("""{ "Policies": { "p": { "Rules": [ { "To": [ { "Operation": { "NotPaths": [ "admin*" ] } } ] } ] } } }""")
            .Should().Equal("Authorization:Policies:p:Rules:0:To:0:Operation:NotPaths:0 is 'admin*', but it must be a path starting with '/' or '*', a value matched exactly (abc), by prefix (abc*) or suffix (*abc), or * for any non-empty value.");
    }

    [Fact]
    public void GetErrors_EmptySourceOrOperation_IsRejectedAsIstioDoes()
    {
        Errors("""{ "Policies": { "p": { "Rules": [ { "From": [ { "Source": { } } ], "To": [ { } ] } ] } } }""").Should().Equal(
            "Authorization:Policies:p:Rules:0:From:0:Source is empty, but it must set at least one of Principals, NotPrincipals, Namespaces and NotNamespaces (leave From out to match any caller).",
            "Authorization:Policies:p:Rules:0:To:0:Operation is missing, but it must set at least one of Methods, NotMethods, Paths and NotPaths (leave To out to match any request).");
    }

    [Fact]
    public void GetErrors_ValidWildcardsAndTokens_AreAccepted()
    {
        Errors("""
            { "Policies": { "p": { "Action": "audit", "Rules": [ {
                "From": [ { "Source": { "Principals": [ "*", "td/*", "*/sa/x" ], "NotNamespaces": [ "dev" ] } } ],
                "To": [ { "Operation": { "Methods": [ "*", "PROPFIND", "P*" ], "Paths": [ "*", "/", "/a*", "*.json" ] } } ] } ] } } }
            """).Should().BeEmpty();
    }

    [Fact]
    public void GetErrors_CodeOptions_UseTheTypeNameAsPrefix()
    {
        var options = new WorkloadAuthorizationOptions();
        options.Policies["p"] = new AuthorizationPolicyOptions { Action = "NOPE" };

        AuthorizationOptionsValidator.GetErrors(options, AuthorizationOptionsValidator.CodeKeyPrefix).Should().Equal(
            "WorkloadAuthorizationOptions:Policies:p:Action is 'NOPE', but it must be ALLOW, DENY or AUDIT.");
    }
    [Fact]
    public void GetErrors_EmptyNameAndNullPolicy_NamesBoth()
    {
        var options = new WorkloadAuthorizationOptions();
        options.Policies[""] = null!;

        AuthorizationOptionsValidator.GetErrors(options, "Authorization:").Should().Equal(
            "Authorization:Policies: has an empty name, but a policy's name must not be empty.",
            "Authorization:Policies: is null, but it must be a policy.");
    }

    [Fact]
    public void GetErrors_NullRuleFromToAndValue_EachNamedWithItsIndex()
    {
        var rule = new AuthorizationRuleOptions();
        rule.From.Add(null!);
        rule.To.Add(new AuthorizationToOptions { Operation = new AuthorizationOperationOptions() });
        var source = new AuthorizationSourceOptions();
        source.Namespaces.Add(null!);
        rule.From.Add(new AuthorizationFromOptions { Source = source });
        rule.To.Add(null!);
        var policy = new AuthorizationPolicyOptions { Action = "ALLOW" };
        policy.Rules.Add(null!);
        policy.Rules.Add(rule);
        var options = new WorkloadAuthorizationOptions();
        options.Policies["p"] = policy;

        AuthorizationOptionsValidator.GetErrors(options, AuthorizationOptionsValidator.CodeKeyPrefix).Should().Equal(
            "WorkloadAuthorizationOptions:Policies:p:Rules:0 is null, but it must be a rule (an empty rule, {}, matches every request).",
            "WorkloadAuthorizationOptions:Policies:p:Rules:1:From:0:Source is missing, but it must set at least one of Principals, NotPrincipals, Namespaces and NotNamespaces (leave From out to match any caller).",
            "WorkloadAuthorizationOptions:Policies:p:Rules:1:From:1:Source:Namespaces:0 is null, but it must be a value matched exactly (abc), by prefix (abc*) or suffix (*abc), or * for any non-empty value; a value must not be empty.",
            "WorkloadAuthorizationOptions:Policies:p:Rules:1:To:0:Operation is empty, but it must set at least one of Methods, NotMethods, Paths and NotPaths (leave To out to match any request).",
            "WorkloadAuthorizationOptions:Policies:p:Rules:1:To:1:Operation is missing, but it must set at least one of Methods, NotMethods, Paths and NotPaths (leave To out to match any request).");
    }
}
