namespace Resilience.Identity.Tests.Authorization;

/// <summary>
/// Istio's evaluation, checked against the examples of its AuthorizationPolicy reference: a matching DENY denies; no
/// ALLOW policy allows; a matching ALLOW allows; otherwise deny; AUDIT never changes the decision.
/// </summary>
public class AuthorizationSnapshotTests
{
    private const string Sleep = "cluster.local/ns/default/sa/sleep";

    // Istio's first example: ALLOW from sa sleep or namespace test, to GET /info* or POST /data.
    private const string Httpbin = """
        { "Policies": { "httpbin": { "Action": "ALLOW", "Rules": [ {
            "From": [ { "Source": { "Principals": [ "cluster.local/ns/default/sa/sleep" ] } },
                      { "Source": { "Namespaces": [ "test" ] } } ],
            "To": [ { "Operation": { "Methods": [ "GET" ], "Paths": [ "/info*" ] } },
                    { "Operation": { "Methods": [ "POST" ], "Paths": [ "/data" ] } } ] } ] } } }
        """;

    [Theory]
    [InlineData(Sleep, "GET", "/info", true)]
    [InlineData(Sleep, "GET", "/info/details", true)]
    [InlineData("cluster.local/ns/test/sa/anyone", "POST", "/data", true)]
    [InlineData(Sleep, "POST", "/info", false)]
    [InlineData(Sleep, "POST", "/data/more", false)]
    [InlineData("cluster.local/ns/prod/sa/sleep", "GET", "/info", false)]
    [InlineData(null, "GET", "/info", false)]
    public void Evaluate_IstioHttpbinAllowExample_AllowsOnlyListedSourcesAndOperations(string? principal, string method, string path, bool allowed)
    {
        AuthorizationDecision decision = PolicyJson.Compile(Httpbin).Decide(principal, method, path);

        decision.Allowed.Should().Be(allowed);
        (decision.Policy?.Name).Should().Be(allowed ? "httpbin" : null, "a request that no ALLOW policy matches is denied by none");
    }

    [Theory]
    [InlineData("cluster.local/ns/dev/sa/x", "POST", false)]
    [InlineData("cluster.local/ns/dev/sa/x", "GET", true)]
    [InlineData("cluster.local/ns/prod/sa/x", "POST", true)]
    [InlineData(null, "POST", true)]
    public void Evaluate_IstioDenyDevPostExample_DeniesOnlyPostFromDev(string? principal, string method, bool allowed)
    {
        const string Json = """
            { "Policies": { "httpbin": { "Action": "DENY", "Rules": [ {
                "From": [ { "Source": { "Namespaces": [ "dev" ] } } ],
                "To": [ { "Operation": { "Methods": [ "POST" ] } } ] } ] } } }
            """;

        AuthorizationDecision decision = PolicyJson.Compile(Json).Decide(principal, method, "/");

        decision.Allowed.Should().Be(allowed, "without ALLOW policies whatever no DENY matches is allowed");
    }

    [Theory]
    [InlineData("cluster.local/ns/foo/sa/a", true)]
    [InlineData("cluster.local/ns/bar/sa/a", false)]
    [InlineData("cluster.local/sa/no-namespace", false)]
    [InlineData(null, false)]
    public void Evaluate_DenyWithNotNamespaces_DeniesEveryOtherNamespaceAndNoIdentity(string? principal, bool allowed)
    {
        const string Json = """
            { "Policies": { "deny-others": { "Action": "DENY", "Rules": [ {
                "From": [ { "Source": { "NotNamespaces": [ "foo" ] } } ] } ] } } }
            """;

        AuthorizationDecision decision = PolicyJson.Compile(Json).Decide(principal, "GET", "/");

        decision.Allowed.Should().Be(allowed);
        if (!allowed)
        {
            decision.Policy!.Name.Should().Be("deny-others");
            decision.RuleIndex.Should().Be(0);
        }
    }

    [Theory]
    [InlineData(Sleep, "GET", "/")]
    [InlineData(null, "DELETE", "/admin")]
    public void Evaluate_IstioAllowNothing_DeniesEverything(string? principal, string method, string path)
    {
        AuthorizationDecision decision = PolicyJson.Compile("""{ "Policies": { "allow-nothing": { } } }""").Decide(principal, method, path);

        decision.Should().Be(new AuthorizationDecision(false, null, -1), "an ALLOW policy without rules matches nothing, and it exists");
    }

    [Theory]
    [InlineData(Sleep)]
    [InlineData(null)]
    public void Evaluate_IstioDenyAll_DeniesEverythingByItsRule(string? principal)
    {
        AuthorizationDecision decision = PolicyJson.Compile("""{ "Policies": { "deny-all": { "Action": "DENY", "Rules": [ { } ] } } }""").Decide(principal, "GET", "/x");

        decision.Allowed.Should().BeFalse();
        decision.Policy!.Name.Should().Be("deny-all");
        decision.RuleIndex.Should().Be(0);
    }

    [Fact]
    public void Evaluate_DenyWithoutRules_MatchesNothing()
    {
        AuthorizationDecision decision = PolicyJson.Compile("""{ "Policies": { "empty": { "Action": "DENY" } } }""").Decide(null, "GET", "/");

        decision.Should().Be(new AuthorizationDecision(true, null, -1));
    }

    [Theory]
    [InlineData(Sleep)]
    [InlineData(null)]
    public void Evaluate_IstioAllowAll_AllowsEverything(string? principal)
    {
        AuthorizationDecision decision = PolicyJson.Compile("""{ "Policies": { "allow-all": { "Rules": [ { } ] } } }""").Decide(principal, "PATCH", "/anything");

        decision.Allowed.Should().BeTrue();
        decision.Policy!.Name.Should().Be("allow-all");
    }

    [Fact]
    public void Evaluate_NoPolicy_AllowsEverything()
    {
        AuthorizationSnapshot.Empty.Decide(null, "GET", "/").Should().Be(new AuthorizationDecision(true, null, -1));
        PolicyJson.Compile("{ }").Decide(null, "GET", "/").Allowed.Should().BeTrue();
    }

    [Theory]
    [InlineData("/admin", false)]
    [InlineData("/admin/users", false)]
    [InlineData("/orders", true)]
    public void Evaluate_DenyAndAllowBothMatch_DenyWins(string path, bool allowed)
    {
        const string Json = """
            { "Policies": {
                "allow-all": { "Action": "ALLOW", "Rules": [ { } ] },
                "deny-admin": { "Action": "DENY", "Rules": [ { "To": [ { "Operation": { "Paths": [ "/admin*" ] } } ] } ] } } }
            """;

        AuthorizationDecision decision = PolicyJson.Compile(Json).Decide(Sleep, "GET", path);

        decision.Allowed.Should().Be(allowed);
        decision.Policy!.Name.Should().Be(allowed ? "allow-all" : "deny-admin");
    }

    [Theory]
    [InlineData("""{ "Audit": { "Action": "AUDIT", "Rules": [ { } ] } }""", true)]
    [InlineData("""{ "Audit": { "Action": "AUDIT", "Rules": [ { } ] }, "allow-nothing": { } }""", false)]
    public void Evaluate_AuditPolicyMatches_DecisionUnchanged(string policies, bool allowed)
    {
        AuthorizationSnapshot snapshot = PolicyJson.Compile($$"""{ "Policies": {{policies}} }""");

        snapshot.Decide(Sleep, "GET", "/user/profile").Allowed.Should().Be(allowed);
        snapshot.Audit.Should().ContainSingle().Which.Match(new AuthorizationRequest(null, null, "GET", [], "/")).Should().Be(0);
    }

    [Theory]
    [InlineData("*", Sleep, true)]
    [InlineData("*", null, false)]
    [InlineData("cluster.local/ns/default/*", Sleep, true)]
    [InlineData("cluster.local/ns/default/*", "cluster.local/ns/defaults/sa/sleep", false)]
    [InlineData("*/sa/sleep", "other.domain/ns/x/sa/sleep", true)]
    [InlineData("*/sa/sleep", "cluster.local/ns/default/sa/sleepy", false)]
    [InlineData("cluster.local/ns/default/sa/sleep", "cluster.local/ns/default/sa/Sleep", false)]
    public void Evaluate_PrincipalForms_MatchExactPrefixSuffixAndPresence(string value, string? principal, bool allowed)
    {
        AuthorizationSnapshot snapshot = PolicyJson.Compile($$"""
            { "Policies": { "p": { "Rules": [ { "From": [ { "Source": { "Principals": [ "{{value}}" ] } } ] } ] } } }
            """);

        snapshot.Decide(principal, "GET", "/").Allowed.Should().Be(allowed);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(Sleep, true)]
    public void Evaluate_DenyNotPrincipalsPresence_DeniesRequestsWithoutIdentity(string? principal, bool allowed)
    {
        // Istio's way to require mutual TLS: deny whatever has no principal.
        AuthorizationSnapshot snapshot = PolicyJson.Compile("""
            { "Policies": { "require-mtls": { "Action": "DENY", "Rules": [ { "From": [ { "Source": { "NotPrincipals": [ "*" ] } } ] } ] } } }
            """);

        snapshot.Decide(principal, "GET", "/").Allowed.Should().Be(allowed);
    }

    [Theory]
    [InlineData("GET", "/api/orders.json", true)]
    [InlineData("HEAD", "/api/orders.json", true)]
    [InlineData("GET", "/api/orders.xml", false)]
    [InlineData("POST", "/api/orders.json", false)]
    [InlineData("GET", "/admin/x.json", false)]
    [InlineData("get", "/api/orders.json", false)]
    public void Evaluate_OperationFields_AreAndedAndValuesOred(string method, string path, bool allowed)
    {
        AuthorizationSnapshot snapshot = PolicyJson.Compile("""
            { "Policies": { "reads": { "Rules": [ { "To": [ { "Operation": {
                "Methods": [ "GET", "HEAD" ], "Paths": [ "*.json" ], "NotPaths": [ "/admin*" ] } } ] } ] } } }
            """);

        snapshot.Decide(Sleep, method, path).Allowed.Should().Be(allowed);
    }

    [Theory]
    [InlineData("cluster.local/ns/prod/sa/orders", true)]
    [InlineData("cluster.local/ns/prod/sa/legacy", false)]
    [InlineData("cluster.local/ns/dev/sa/orders", false)]
    public void Evaluate_SourceFields_AreAnded(string principal, bool allowed)
    {
        AuthorizationSnapshot snapshot = PolicyJson.Compile("""
            { "Policies": { "prod": { "Rules": [ { "From": [ { "Source": {
                "Namespaces": [ "prod" ], "NotPrincipals": [ "cluster.local/ns/prod/sa/legacy" ] } } ] } ] } } }
            """);

        snapshot.Decide(principal, "GET", "/").Allowed.Should().Be(allowed);
    }

    [Fact]
    public void Evaluate_SecondRuleMatches_ReportsItsIndex()
    {
        AuthorizationSnapshot snapshot = PolicyJson.Compile("""
            { "Policies": { "deny": { "Action": "deny", "Rules": [
                { "To": [ { "Operation": { "Paths": [ "/a" ] } } ] },
                { "To": [ { "Operation": { "Paths": [ "/b" ] } } ] } ] } } }
            """);

        snapshot.Decide(null, "GET", "/b").Should().Be(new AuthorizationDecision(false, snapshot.Deny[0], 1));
    }
}
