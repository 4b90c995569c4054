using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Identity.Tests;

public class SpiffeIdTests
{
    [Theory]
    [InlineData("spiffe://cluster.local/ns/default/sa/order-service", "cluster.local", "/ns/default/sa/order-service")]
    [InlineData("spiffe://example.org", "example.org", "")]
    [InlineData("spiffe://td-1_x.y/a/B.c/d-e_f", "td-1_x.y", "/a/B.c/d-e_f")]
    [InlineData("spiffe://example.org/...", "example.org", "/...")]
    public void Parse_ValidId_SplitsTrustDomainAndPath(string value, string trustDomain, string path)
    {
        SpiffeId id = SpiffeId.Parse(value);

        id.Value.Should().Be(value);
        id.TrustDomain.Should().Be(trustDomain);
        id.Path.Should().Be(path);
        id.ToString().Should().Be(value);
    }

    [Theory]
    [InlineData("", "does not start with 'spiffe://'")]
    [InlineData("http://example.org/a", "does not start with 'spiffe://'")]
    [InlineData("SPIFFE://example.org/a", "does not start with 'spiffe://'")]
    [InlineData("spiffe://", "the trust domain is empty")]
    [InlineData("spiffe:///a", "the trust domain is empty")]
    [InlineData("spiffe://Example.org/a", "the trust domain may hold only")]
    [InlineData("spiffe://example.org:8080/a", "the trust domain may hold only")]
    [InlineData("spiffe://user@example.org/a", "the trust domain may hold only")]
    [InlineData("spiffe://example.org/", "empty segment")]
    [InlineData("spiffe://example.org//a", "empty segment")]
    [InlineData("spiffe://example.org/a/", "empty segment")]
    [InlineData("spiffe://example.org/a/./b", "'.' or '..' segment")]
    [InlineData("spiffe://example.org/a/../b", "'.' or '..' segment")]
    [InlineData("spiffe://example.org/a?x=1", "the path may hold only")]
    [InlineData("spiffe://example.org/a#f", "the path may hold only")]
    [InlineData("spiffe://example.org/a%20b", "the path may hold only")]
    public void Parse_InvalidId_ThrowsFormatExceptionSayingWhy(string value, string reason)
    {
        Action act = () => SpiffeId.Parse(value);

        act.Should().Throw<FormatException>().WithMessage($"*{reason}*");
        SpiffeId.TryParse(value, out SpiffeId? id).Should().BeFalse();
        id.Should().BeNull();
    }

    [Fact]
    public void Parse_LongerThan2048Characters_Throws()
    {
        string value = "spiffe://example.org/" + new string('a', 2048);

        Action act = () => SpiffeId.Parse(value);

        act.Should().Throw<FormatException>().WithMessage("*longer than 2048*");
    }

    [Fact]
    public void TryParse_Null_False()
    {
        SpiffeId.TryParse(null, out SpiffeId? id).Should().BeFalse();
        id.Should().BeNull();
    }

    [Fact]
    public void Principal_IstioForm_WithoutScheme()
    {
        SpiffeId.Parse("spiffe://cluster.local/ns/default/sa/order").Principal.Should().Be("cluster.local/ns/default/sa/order");
    }

    [Theory]
    [InlineData("spiffe://cluster.local/ns/shop/sa/order", "shop")]
    [InlineData("spiffe://cluster.local/ns/shop", "shop")]
    [InlineData("spiffe://cluster.local/workload/order", null)]
    [InlineData("spiffe://cluster.local", null)]
    public void Namespace_NsPath_NamespaceElseNull(string value, string? expected)
    {
        SpiffeId.Parse(value).Namespace.Should().Be(expected);
    }

    [Fact]
    public void Equals_SameValue_EqualWithSameHash()
    {
        SpiffeId a = SpiffeId.Parse("spiffe://example.org/a");
        SpiffeId b = SpiffeId.Parse("spiffe://example.org/a");

        a.Should().Be(b);
        a.Equals((object)b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Equals(SpiffeId.Parse("spiffe://example.org/b")).Should().BeFalse();
        a.Equals(null).Should().BeFalse();
    }

    [Fact]
    public void FromCertificate_NoUriSan_Null()
    {
        using var certificate = CertificateFactory.WithUris();

        SpiffeId.FromCertificate(certificate).Should().BeNull();
    }

    [Fact]
    public void FromCertificate_OneSpiffeUriBesideOtherNames_TheId()
    {
        using var certificate = CertificateFactory.WithUris("https://example.org/x", "spiffe://example.org/ns/a/sa/b");

        SpiffeId.FromCertificate(certificate).Should().Be(SpiffeId.Parse("spiffe://example.org/ns/a/sa/b"));
    }

    [Fact]
    public void FromCertificate_TwoSpiffeUris_Null()
    {
        using var certificate = CertificateFactory.WithUris("spiffe://example.org/a", "spiffe://example.org/b");

        SpiffeId.FromCertificate(certificate).Should().BeNull();
    }

    [Fact]
    public void FromCertificate_InvalidSpiffeUri_Null()
    {
        using var certificate = CertificateFactory.WithUris("spiffe://example.org/a%20b");

        SpiffeId.FromCertificate(certificate).Should().BeNull();
    }
    [Fact]
    public void FromCertificate_MalformedSubjectAlternativeName_Null()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256);
        // GeneralNames holding a valid SPIFFE URI, then a URI name whose length runs past the end.
        byte[] uri = "spiffe://td/a"u8.ToArray();
        byte[] names = [0x30, (byte)(2 + uri.Length + 3), 0x86, (byte)uri.Length, .. uri, 0x86, 0x05, (byte)'x'];
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", names, critical: false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        SpiffeId.FromCertificate(certificate).Should().BeNull();
    }
}
