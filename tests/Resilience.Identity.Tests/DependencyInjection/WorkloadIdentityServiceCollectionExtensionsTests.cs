using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Resilience.Identity.Tests.DependencyInjection;

public class WorkloadIdentityServiceCollectionExtensionsTests
{
    [Fact]
    public void AddWorkloadIdentity_CalledTwice_BothConfigureButOneValidatorAndWatcher()
    {
        var services = new ServiceCollection();
        services.AddWorkloadIdentity(_ => { });
        services.AddWorkloadIdentity(o => o.CertificateFile = "  ");
        services.AddWorkloadIdentity(o => o.KeyFile = "\t");
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => _ = provider.GetRequiredService<IOptions<WorkloadIdentityOptions>>().Value;

        services.Count(d => d.ServiceType == typeof(IValidateOptions<WorkloadIdentityOptions>)).Should().Be(1);
        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "WorkloadIdentityOptions.CertificateFile is empty, but it must be the path of a PEM file.",
            "WorkloadIdentityOptions.KeyFile is empty, but it must be the path of a PEM file.",
            "WorkloadIdentityOptions.TrustBundleFile is empty, but it must be the path of a PEM file.");
    }

    [Fact]
    public void AddWorkloadIdentity_NamedOptions_AreNotValidated()
    {
        var services = new ServiceCollection();
        services.AddWorkloadIdentity(_ => { });
        services.Configure<WorkloadIdentityOptions>("other", o => o.CertificateFile = "nowhere.pem");
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptionsMonitor<WorkloadIdentityOptions>>().Get("other").CertificateFile.Should().Be("nowhere.pem");
    }
}
