using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Resilience.Identity.Tests.Authorization;

public class WorkloadAuthorizationServiceCollectionExtensionsTests
{
    [Fact]
    public void AddWorkloadAuthorization_CalledTwice_OneValidatorSoEachErrorIsReportedOnce()
    {
        var services = new ServiceCollection();
        services.AddWorkloadAuthorization(o => o.Policies["p"] = new AuthorizationPolicyOptions { Action = "NOPE" });
        services.AddWorkloadAuthorization(o => o.Policies["q"] = new AuthorizationPolicyOptions { Action = "DENY" });
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => _ = provider.GetRequiredService<IOptions<WorkloadAuthorizationOptions>>().Value;

        services.Count(d => d.ServiceType == typeof(IValidateOptions<WorkloadAuthorizationOptions>)).Should().Be(1);
        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "WorkloadAuthorizationOptions:Policies:p:Action is 'NOPE', but it must be ALLOW, DENY or AUDIT.");
    }

    [Fact]
    public void AddWorkloadAuthorization_NamedOptions_AreNotValidated()
    {
        var services = new ServiceCollection();
        services.AddWorkloadAuthorization(_ => { });
        services.Configure<WorkloadAuthorizationOptions>("other", o => o.Policies["p"] = new AuthorizationPolicyOptions { Action = "NOPE" });
        using ServiceProvider provider = services.BuildServiceProvider();

        WorkloadAuthorizationOptions named = provider.GetRequiredService<IOptionsMonitor<WorkloadAuthorizationOptions>>().Get("other");

        named.Policies["p"].Action.Should().Be("NOPE", "only the unnamed options are the policies in force");
    }
}
