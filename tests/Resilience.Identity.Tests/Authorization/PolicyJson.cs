using System.Text;
using Microsoft.Extensions.Configuration;

namespace Resilience.Identity.Tests.Authorization;

/// <summary>Policies written as JSON in Istio's shape, bound as an application's configuration would bind them.</summary>
internal static class PolicyJson
{
    /// <summary>The configuration root holding <c>{ "Authorization": <paramref name="json"/> }</c>.</summary>
    public static IConfigurationRoot Configuration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "Authorization": {{json}} }"""))).Build();

    /// <summary>The options bound from <c>Authorization</c>, with whatever binding found wrong in them.</summary>
    public static WorkloadAuthorizationOptions Bind(string json)
    {
        var options = new WorkloadAuthorizationOptions();
        AuthorizationConfigurationBinder.Bind(Configuration(json).GetSection("Authorization"), options);
        return options;
    }

    /// <summary>The compiled policies of valid <paramref name="json"/>.</summary>
    public static AuthorizationSnapshot Compile(string json)
    {
        WorkloadAuthorizationOptions options = Bind(json);
        AuthorizationOptionsValidator.GetErrors(options, "Authorization:").Should().BeEmpty();
        return AuthorizationSnapshot.Compile(options);
    }

    /// <summary>The decision on a request from <paramref name="principal"/> (Istio's form, or null for none).</summary>
    public static AuthorizationDecision Decide(this AuthorizationSnapshot snapshot, string? principal, string method, string path)
    {
        SpiffeId? id = principal is null ? null : SpiffeId.Parse("spiffe://" + principal);
        return snapshot.Evaluate(new AuthorizationRequest(id?.Principal, id?.Namespace, method, [], path));
    }
}
