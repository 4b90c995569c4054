using System.Text;
using Resilience.Discovery.Internal;

namespace Resilience.Discovery.Tests.Etcd;

public sealed class EtcdInstanceRecordTests
{
    [Fact]
    public void ToJson_EveryField_ParsesBackToTheSameRecord()
    {
        var record = new EtcdInstanceRecord(new Uri("https://10.0.0.7:5001"), 3, "v2", "zone-a", "spiffe://cluster.local/ns/default/sa/pricing");

        string json = record.ToJson();
        EtcdInstanceRecord? parsed = EtcdInstanceRecord.TryParse(Encoding.UTF8.GetBytes(json), out string? problem);

        json.Should().Be("""{"address":"https://10.0.0.7:5001","weight":3,"version":"v2","zone":"zone-a","identity":"spiffe://cluster.local/ns/default/sa/pricing"}""");
        problem.Should().BeNull();
        parsed.Should().Be(record);
    }

    [Fact]
    public void ToServiceEndpoint_WithIdentity_CarriesItInTheMetadata()
    {
        var record = new EtcdInstanceRecord(new Uri("https://10.0.0.7:5001"), 1, null, null, "spiffe://cluster.local/ns/default/sa/pricing");

        EndpointMetadataFeature? metadata = record.ToServiceEndpoint().Features.Get<EndpointMetadataFeature>();

        metadata!.Identity.Should().Be("spiffe://cluster.local/ns/default/sa/pricing");
    }

    [Fact]
    public void TryParse_WithoutIdentityOrWithANonString_HasNone()
    {
        EtcdInstanceRecord.TryParse("""{"address":"http://10.0.0.7:5001"}"""u8, out _)!.Identity.Should().BeNull();
        EtcdInstanceRecord.TryParse("""{"address":"http://10.0.0.7:5001","identity":7}"""u8, out _)!.Identity.Should().BeNull();
    }
}
