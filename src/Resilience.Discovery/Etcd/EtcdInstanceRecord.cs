using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.ServiceDiscovery;

namespace Resilience.Discovery.Internal;

/// <summary>The value of an instance's key: <c>{"address":"http://10.0.0.7:5001","weight":1,"version":"v2","zone":"a"}</c>.</summary>
internal sealed record EtcdInstanceRecord(Uri Address, int Weight, string? Version, string? Zone, string? Identity = null)
{
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("address", Address.GetLeftPart(UriPartial.Authority));
            writer.WriteNumber("weight", Weight);
            if (Version is not null)
            {
                writer.WriteString("version", Version);
            }

            if (Zone is not null)
            {
                writer.WriteString("zone", Zone);
            }

            if (Identity is not null)
            {
                writer.WriteString("identity", Identity);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a value; <see langword="null"/> with <paramref name="problem"/> when it is not an instance.</summary>
    public static EtcdInstanceRecord? TryParse(ReadOnlySpan<byte> json, out string? problem)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json.ToArray());
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("address", out JsonElement address)
                || !Uri.TryCreate(address.GetString(), UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            {
                problem = "no \"address\" with an http or https URL";
                return null;
            }

            int weight = root.TryGetProperty("weight", out JsonElement w) && w.TryGetInt32(out int value) && value >= EtcdDiscoveryConstants.MinimumWeight
                ? value
                : EtcdDiscoveryConstants.DefaultWeight;
            problem = null;
            return new EtcdInstanceRecord(uri, weight, Text(root, "version"), Text(root, "zone"), Text(root, "identity"));
        }
        catch (JsonException error)
        {
            problem = error.Message;
            return null;
        }
    }

    public ServiceEndpoint ToServiceEndpoint()
    {
        var features = new FeatureCollection();
        features.Set(new EndpointMetadataFeature(Weight, Version, Zone, Identity));
        return ServiceEndpoint.Create(new UriEndPoint(Address), features);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
