using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resilience.Discovery.Internal;
using Resilience.Discovery.Tests.Integration;

namespace Resilience.Discovery.Tests.Etcd;

public sealed class EtcdDiscoveryOptionsValidatorTests
{
    [Fact]
    public void Validate_BoundSectionWithEveryMistake_NamesEachFullKeyValueAndRange()
    {
        IConfigurationSection section = Section(new()
        {
            ["Discovery:Etcd:Endpoints:0"] = "http://127.0.0.1:2379",
            ["Discovery:Etcd:Endpoints:1"] = "etcd:2379",
            ["Discovery:Etcd:Prefix"] = "services",
            ["Discovery:Etcd:Ttl"] = "00:00:00.500",
            ["Discovery:Etcd:Username"] = "root",
        });

        Action start = () => Resolve(services => services.AddEtcdServiceDiscovery(section));

        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().BeEquivalentTo(
            "Discovery:Etcd:Endpoints:1 is 'etcd:2379', but it must be an http or https URL with a host and no path, such as http://127.0.0.1:2379.",
            "Discovery:Etcd:Prefix is 'services', but it must start and end with '/' and name a folder, such as /services/.",
            "Discovery:Etcd:Ttl is 500 ms, but it must be whole seconds from 1 s to 1 h.",
            "Discovery:Etcd:Password is empty while Discovery:Etcd:Username is set, but the two must be set together or not at all.");
    }

    [Fact]
    public void Validate_NoEndpointsSetInCode_NamesTheOptionsType()
    {
        Action start = () => Resolve(services => services.AddEtcdServiceDiscovery(o => o.Ttl = TimeSpan.FromHours(2)));

        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().BeEquivalentTo(
            "EtcdDiscoveryOptions.Endpoints is empty, but it must list at least one etcd client URL, such as http://127.0.0.1:2379.",
            "EtcdDiscoveryOptions.Ttl is 2 h, but it must be whole seconds from 1 s to 1 h.");
    }

    [Fact]
    public void Validate_UnknownKey_IsAnError()
    {
        IConfigurationSection section = Section(new()
        {
            ["Discovery:Etcd:Endpoints:0"] = "http://127.0.0.1:2379",
            ["Discovery:Etcd:TimeToLive"] = "00:00:10",
        });

        Action start = () => Resolve(services => services.AddEtcdServiceDiscovery(section));

        start.Should().Throw<InvalidOperationException>().WithMessage("*TimeToLive*");
    }

    [Fact]
    public void Validate_ValidOptionsAndPasswordWithoutUser_ReportsOnlyTheMissingUser()
    {
        var options = new EtcdDiscoveryOptions { Password = "secret", Ttl = TimeSpan.FromSeconds(3) };
        options.Endpoints.Add("https://etcd-0.example:2379");

        List<string> errors = EtcdDiscoveryOptionsValidator.GetErrors(options, EtcdDiscoveryOptionsValidator.CodeKeyPrefix);

        errors.Should().Equal("EtcdDiscoveryOptions.Username is empty while EtcdDiscoveryOptions.Password is set, but the two must be set together or not at all.");
    }

    [Fact]
    public void Validate_TlsFilesMissingOrWithHttpEndpoint_NamesEachKeyValueAndWhatIsValid()
    {
        string missing = Path.Combine(Path.GetTempPath(), "resilience-no-such-" + Guid.NewGuid().ToString("N") + ".pem");
        IConfigurationSection section = Section(new()
        {
            ["Discovery:Etcd:Endpoints:0"] = "http://127.0.0.1:2379",
            ["Discovery:Etcd:Endpoints:1"] = "https://127.0.0.1:2379",
            ["Discovery:Etcd:TrustedCaFile"] = missing,
            ["Discovery:Etcd:ClientKeyFile"] = missing,
        });

        Action start = () => Resolve(services => services.AddEtcdServiceDiscovery(section));

        start.Should().Throw<OptionsValidationException>().Which.Failures.Should().BeEquivalentTo(
            "Discovery:Etcd:Endpoints:0 is 'http://127.0.0.1:2379', but it must be an https URL when Discovery:Etcd:TrustedCaFile, ClientCertificateFile or ClientKeyFile is set.",
            $"Discovery:Etcd:TrustedCaFile is '{missing}', but no such file exists; it must be the path of a readable PEM file.",
            "Discovery:Etcd:ClientCertificateFile is empty while Discovery:Etcd:ClientKeyFile is set, but the client certificate and its key must be set together or not at all.");
    }

    [Fact]
    public void Validate_FilesThatAreNotPem_NameTheKeysAndWhatTheyMustHold()
    {
        using var certificates = EtcdCertificates.Create();
        string garbage = Path.Combine(certificates.Directory, "garbage.pem");
        File.WriteAllText(garbage, "not a certificate");
        var options = new EtcdDiscoveryOptions { TrustedCaFile = garbage, ClientCertificateFile = certificates.ClientCertificateFile, ClientKeyFile = certificates.ServerKeyFile };
        options.Endpoints.Add("https://127.0.0.1:2379");

        List<string> errors = EtcdDiscoveryOptionsValidator.GetErrors(options, "Discovery:Etcd:");

        errors.Should().HaveCount(2);
        errors[0].Should().StartWith($"Discovery:Etcd:TrustedCaFile is '{garbage}', but it could not be read as PEM certificates (")
            .And.EndWith("it must hold at least one '-----BEGIN CERTIFICATE-----' block of the CA that signs the etcd servers' certificates.");
        errors[1].Should().StartWith($"Discovery:Etcd:ClientCertificateFile is '{certificates.ClientCertificateFile}' and Discovery:Etcd:ClientKeyFile is '{certificates.ServerKeyFile}', but they could not be read as a PEM certificate and its matching PEM private key (");
    }

    [Fact]
    public void Validate_GeneratedCaAndClientCertificate_IsValid()
    {
        using var certificates = EtcdCertificates.Create();
        var options = new EtcdDiscoveryOptions { TrustedCaFile = certificates.CaFile, ClientCertificateFile = certificates.ClientCertificateFile, ClientKeyFile = certificates.ClientKeyFile };
        options.Endpoints.Add("https://127.0.0.1:2379");

        EtcdDiscoveryOptionsValidator.GetErrors(options, "Discovery:Etcd:").Should().BeEmpty();
    }

    [Fact]
    public void AddServiceRegistration_WeightOutOfRange_ThrowsNamingTheService()
    {
        Action register = () => new ServiceCollection().AddServiceRegistration("inventory", o => o.Weight = 0);

        register.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Weight of 'inventory' is 0, but it must be between 1 and 1000*");
    }

    [Theory]
    [InlineData("pricing")]
    [InlineData("https://cluster.local/ns/default/sa/pricing")]
    [InlineData("spiffe:///ns/default/sa/pricing")]
    [InlineData("spiffe://cluster.local/ns/default/sa/pricing?x=1")]
    public void AddServiceRegistration_IdentityNotASpiffeId_ThrowsNamingTheServiceAndTheValue(string identity)
    {
        Action register = () => new ServiceCollection().AddServiceRegistration("inventory", o => o.Identity = identity);

        register.Should().Throw<ArgumentException>().WithMessage(
            $"ServiceRegistrationOptions.Identity of 'inventory' is '{identity}', but it must be a SPIFFE ID: spiffe://<trust domain>/<path>.*");
    }

    [Fact]
    public void AddServiceRegistration_SpiffeIdentity_IsAccepted()
    {
        Action register = () => new ServiceCollection().AddServiceRegistration("inventory", o => o.Identity = "spiffe://cluster.local/ns/default/sa/inventory");

        register.Should().NotThrow();
    }

    private static IConfigurationSection Section(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Discovery:Etcd");

    private static void Resolve(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        using ServiceProvider provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<EtcdDiscoveryOptions>>().Value;
    }
}
