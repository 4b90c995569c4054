using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Resilience.Identity.Tests.Internal;

public sealed class WorkloadIdentityOptionsValidatorTests : IDisposable
{
    private readonly TempDirectory _files = new();
    private readonly DevelopmentCertificateAuthority _ca = DevelopmentCertificateAuthority.Create("cluster.local");

    public void Dispose()
    {
        _ca.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task StartAsync_MissingFile_FailsNamingFullKeyAndValue()
    {
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));
        string missing = _files.Sub("nowhere/key.pem");
        IHost host = Host(files.CertificateFile!, missing, files.TrustBundleFile!);

        Func<Task> act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain($"Identity:KeyFile is '{missing}', but no such file exists");
    }

    [Fact]
    public void Validate_CertificateWithoutSpiffeId_SaysSo()
    {
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));
        using X509Certificate2 plain = CertificateFactory.WithUris();
        File.WriteAllText(files.CertificateFile!, plain.ExportCertificatePem());

        Errors(files).Should().Contain(e => e.StartsWith($"Identity:CertificateFile is '{files.CertificateFile}', but its certificate (CN=test) has no SPIFFE ID", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_KeyOfAnotherCertificate_SaysKeyDoesNotMatch()
    {
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));
        WorkloadIdentityOptions other = Write("other", _ca.Issue("default", "other"));
        files.KeyFile = other.KeyFile;

        Errors(files).Should().ContainSingle().Which.Should()
            .StartWith($"Identity:KeyFile is '{other.KeyFile}', but it is not the private key of the certificate in Identity:CertificateFile ('{files.CertificateFile}')");
    }

    [Fact]
    public void Validate_ExpiredCertificate_SaysWhen()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order", now.AddDays(-2), now.AddDays(-1)));

        Errors(files).Should().Contain(e => e.StartsWith($"Identity:CertificateFile is '{files.CertificateFile}', but its certificate expired at", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmptyBundle_SaysSo()
    {
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));
        File.WriteAllText(files.TrustBundleFile!, string.Empty);

        Errors(files).Should().ContainSingle().Which.Should().StartWith($"Identity:TrustBundleFile is '{files.TrustBundleFile}', but the bundle is empty");
    }

    [Fact]
    public void Validate_BundleOfAnotherCa_SaysCertificateDoesNotChain()
    {
        using var other = DevelopmentCertificateAuthority.Create("cluster.local");
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));
        files.TrustBundleFile = Write("other", other.Issue("default", "x")).TrustBundleFile;

        Errors(files).Should().ContainSingle().Which.Should().Contain("does not chain to a CA of Identity:TrustBundleFile");
    }

    [Fact]
    public void Validate_NothingSet_ThreeErrorsInCodeKeys()
    {
        var services = new ServiceCollection();
        services.AddWorkloadIdentity(_ => { });
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => _ = provider.GetRequiredService<IOptions<WorkloadIdentityOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().BeEquivalentTo(
            "WorkloadIdentityOptions.CertificateFile is empty, but it must be the path of a PEM file.",
            "WorkloadIdentityOptions.KeyFile is empty, but it must be the path of a PEM file.",
            "WorkloadIdentityOptions.TrustBundleFile is empty, but it must be the path of a PEM file.");
    }

    [Fact]
    public void Validate_ValidFiles_Succeeds()
    {
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));

        Errors(files).Should().BeEmpty();
    }

    [Fact]
    public void Bind_UnknownKey_Throws()
    {
        var services = new ServiceCollection();
        services.AddWorkloadIdentity(Section(("Identity:CertFile", "x")));
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => _ = provider.GetRequiredService<IOptions<WorkloadIdentityOptions>>().Value;

        act.Should().Throw<InvalidOperationException>().WithMessage("*CertFile*");
    }

    [Fact]
    public void Validate_CertificateNotYetValid_SaysFromWhen()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order", now.AddDays(1), now.AddDays(2)));

        Errors(files).Should().Contain(e => e.StartsWith($"Identity:CertificateFile is '{files.CertificateFile}', but its certificate is not valid before", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CertificateFileWithoutCertificate_SaysItHoldsNone()
    {
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));
        File.Copy(files.KeyFile!, files.CertificateFile!, overwrite: true);

        Errors(files).Should().Equal($"Identity:CertificateFile is '{files.CertificateFile}', but it holds no certificate: it must hold the workload's certificate, then its intermediates, as '-----BEGIN CERTIFICATE-----' blocks.");
    }

    [Fact]
    public void Validate_CertificateBlockNotACertificate_SaysItCannotBeRead()
    {
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));
        File.WriteAllText(files.CertificateFile!, NotACertificate);

        Errors(files).Should().ContainSingle().Which.Should().StartWith($"Identity:CertificateFile is '{files.CertificateFile}', but it could not be read as PEM certificates (");
    }

    [Fact]
    public void Validate_BundleBlockNotACertificate_SaysItCannotBeRead()
    {
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));
        File.WriteAllText(files.TrustBundleFile!, NotACertificate);

        Errors(files).Should().ContainSingle().Which.Should().StartWith($"Identity:TrustBundleFile is '{files.TrustBundleFile}', but it could not be read as PEM certificates (");
    }

    [Fact]
    public void Validate_KeyPathIsAFolder_SaysItCannotBeRead()
    {
        WorkloadIdentityOptions files = Write("order", _ca.Issue("default", "order"));
        files.KeyFile = _files.Sub("order");

        Errors(files).Should().ContainSingle().Which.Should()
            .StartWith($"Identity:KeyFile is '{files.KeyFile}', but it could not be read (").And.EndWith("); it must be the path of a readable PEM file.");
    }

    private const string NotACertificate = "-----BEGIN CERTIFICATE-----\nAQIDBA==\n-----END CERTIFICATE-----\n";

    private static IConfigurationSection Section(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build().GetSection("Identity");

    private static IHost Host(string certificate, string key, string bundle)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // <configuration>
        builder.Services.AddWorkloadIdentity(builder.Configuration.GetSection("Identity"));
        // </configuration>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Identity:CertificateFile"] = certificate,
            ["Identity:KeyFile"] = key,
            ["Identity:TrustBundleFile"] = bundle,
        });
        return builder.Build();
    }

    private static List<string> Errors(WorkloadIdentityOptions files)
    {
        var services = new ServiceCollection();
        services.AddWorkloadIdentity(Section(
            ("Identity:CertificateFile", files.CertificateFile),
            ("Identity:KeyFile", files.KeyFile),
            ("Identity:TrustBundleFile", files.TrustBundleFile)));
        using ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<WorkloadIdentityOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
    }

    private WorkloadIdentityOptions Write(string name, WorkloadIdentity identity) =>
        DevelopmentCertificateAuthority.WriteFiles(identity, _files.Sub(name));
}
