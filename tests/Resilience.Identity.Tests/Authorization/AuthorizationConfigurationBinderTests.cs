namespace Resilience.Identity.Tests.Authorization;

/// <summary>Binding Istio-shaped configuration: empty objects keep their meaning, and unknown or unsupported keys are reported.</summary>
public class AuthorizationConfigurationBinderTests
{
    [Fact]
    public void Bind_IstioShape_FillsEveryField()
    {
        WorkloadAuthorizationOptions options = PolicyJson.Bind("""
            { "Policies": { "inventory": { "Action": "ALLOW", "Rules": [ {
                "From": [ { "Source": { "Principals": [ "td/ns/a/sa/b" ], "NotPrincipals": [ "x" ], "Namespaces": [ "a" ], "NotNamespaces": [ "b" ] } } ],
                "To": [ { "Operation": { "Methods": [ "GET" ], "NotMethods": [ "PUT" ], "Paths": [ "/api/*" ], "NotPaths": [ "/api/admin*" ] } } ] } ] } } }
            """);

        options.BindingErrors.Should().BeEmpty();
        AuthorizationPolicyOptions policy = options.Policies["INVENTORY"];
        policy.Action.Should().Be("ALLOW");
        AuthorizationSourceOptions source = policy.Rules.Single().From.Single().Source!;
        (source.Principals.Single(), source.NotPrincipals.Single(), source.Namespaces.Single(), source.NotNamespaces.Single()).Should().Be(("td/ns/a/sa/b", "x", "a", "b"));
        AuthorizationOperationOptions operation = policy.Rules.Single().To.Single().Operation!;
        (operation.Methods.Single(), operation.NotMethods.Single(), operation.Paths.Single(), operation.NotPaths.Single()).Should().Be(("GET", "PUT", "/api/*", "/api/admin*"));
    }

    [Fact]
    public void Bind_EmptyPolicyAndEmptyRule_AreKept()
    {
        WorkloadAuthorizationOptions options = PolicyJson.Bind("""{ "Policies": { "allow-nothing": { }, "allow-all": { "Rules": [ { } ] } } }""");

        options.Policies["allow-nothing"].Rules.Should().BeEmpty();
        options.Policies["allow-all"].Rules.Should().ContainSingle().Which.From.Should().BeEmpty();
    }

    [Fact]
    public void Bind_UnsupportedIstioKeys_AreReportedByPath()
    {
        WorkloadAuthorizationOptions options = PolicyJson.Bind("""
            { "Policies": { "p": { "Selector": { "MatchLabels": { "app": "x" } }, "Rules": [ {
                "From": [ { "Source": { "IpBlocks": [ "10.0.0.0/8" ] } } ],
                "To": [ { "Operation": { "Ports": [ "8080" ] } } ],
                "When": [ { "Key": "request.headers[x]", "Values": [ "y" ] } ] } ] } } }
            """);

        options.BindingErrors.Should().BeEquivalentTo(
            "Authorization:Policies:p:Rules:0:From:0:Source:IpBlocks is not supported: Istio has it, but this package evaluates only Principals, NotPrincipals, Namespaces, NotNamespaces in a source.",
            "Authorization:Policies:p:Rules:0:To:0:Operation:Ports is not supported: Istio has it, but this package evaluates only Methods, NotMethods, Paths, NotPaths in an operation.",
            "Authorization:Policies:p:Rules:0:When is not supported: Istio has it, but this package evaluates only From, To in a rule.",
            "Authorization:Policies:p:Selector is not supported: Istio has it, but this package evaluates only Action, Rules in a policy.");
    }

    [Fact]
    public void Bind_UnknownKeyAndValueWhereListBelongs_AreReported()
    {
        WorkloadAuthorizationOptions options = PolicyJson.Bind("""
            { "Policie": { }, "Policies": { "p": { "Rules": [ { "To": [ { "Operation": { "Methods": "GET" } } ] } ] } } }
            """);

        options.BindingErrors.Should().Equal(
            "Authorization:Policie is not a key of the authorization configuration; the keys are Policies.",
            "Authorization:Policies:p:Rules:0:To:0:Operation:Methods is 'GET', but it must be a list of strings, such as [\"a\", \"b\"].");
    }

    [Fact]
    public void Bind_ObjectWhereActionBelongs_IsReported()
    {
        PolicyJson.Bind("""{ "Policies": { "p": { "Action": { "Type": "DENY" } } } }""").BindingErrors
            .Should().Equal("Authorization:Policies:p:Action is an object or a list, but it must be ALLOW, DENY or AUDIT.");
    }
}
