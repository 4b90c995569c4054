using System.Net;
using System.Reflection;
using Microsoft.Extensions.ServiceDiscovery;
using Resilience.Discovery;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Split;

/// <summary>
/// Endpoints with version metadata, which only a registry (etcd) publishes: <see cref="DiscoveredEndpoint"/>'s
/// constructor is internal to Resilience.Discovery, so it is called by reflection here.
/// </summary>
internal static class SplitEndpoints
{
    private static readonly ConstructorInfo Constructor = typeof(DiscoveredEndpoint).GetConstructor(
        BindingFlags.Instance | BindingFlags.NonPublic, [typeof(EndPoint), typeof(string), typeof(int), typeof(string), typeof(string), typeof(string)])!;

    public static DiscoveredEndpoint Create(int host, string? version, string? zone = null)
    {
        string authority = $"http://10.0.0.{host}:80";
        return (DiscoveredEndpoint)Constructor.Invoke([new UriEndPoint(new Uri(authority)), authority, 1, version, zone, null]);
    }

    /// <summary>A snapshot of endpoints 1..n with the versions given, in order.</summary>
    public static RoutingSnapshot Snapshot(params string?[] versions)
    {
        DiscoveredEndpoint[] endpoints = [.. versions.Select(static (v, i) => Create(i + 1, v))];
        return new RoutingSnapshot(
            TestEndpoints.Service, 1, endpoints, [.. endpoints.Select(static _ => 1)], [.. endpoints.Select(static e => new EndpointState(e.ToString(), EndpointJoin.Initial))]);
    }

    /// <summary>Subsets <c>v1</c> and <c>v2</c> by version, with the destinations' weights.</summary>
    public static TrafficSplitOptions Options(int v1Weight, int v2Weight)
    {
        var options = new TrafficSplitOptions();
        options.Subsets["v1"] = new TrafficSubsetOptions { Version = "v1" };
        options.Subsets["v2"] = new TrafficSubsetOptions { Version = "v2" };
        options.Destinations.Add(new TrafficDestinationOptions { Subset = "v1", Weight = v1Weight });
        options.Destinations.Add(new TrafficDestinationOptions { Subset = "v2", Weight = v2Weight });
        return options;
    }

    public static HttpRequestMessage Request(string? header = null, string? value = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, TestEndpoints.Service + "/x");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return request;
    }
}
