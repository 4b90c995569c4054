using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace CascadeDemo;

/// <summary>
/// Counts the requests one service instance receives, at the front of its pipeline (before fault injection), so the
/// share of traffic each instance got is what the servers saw, not what a client believes it sent.
/// </summary>
/// <remarks>Added to a service as an <see cref="IStartupFilter"/>, so the samples' own code stays as it is.</remarks>
internal sealed class TrafficCounter : IStartupFilter
{
    private readonly ConcurrentQueue<long> _arrivals = new();

    /// <summary>Creates a counter for the instance <paramref name="name"/> of <paramref name="service"/>.</summary>
    public TrafficCounter(string service, string name)
    {
        Service = service;
        Name = name;
    }

    /// <summary>Gets the service, such as <c>Warehouse (D)</c>.</summary>
    public string Service { get; }

    /// <summary>Gets the instance's name, such as <c>D1</c>.</summary>
    public string Name { get; }

    /// <summary>Gets or sets the instance's address (scheme, host and port), known once it has started.</summary>
    public string Address { get; set; } = "";

    /// <summary>Gets the requests counted so far.</summary>
    public int Count => _arrivals.Count;

    /// <inheritdoc/>
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            _arrivals.Enqueue(TimeProvider.System.GetTimestamp());
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>The arrivals at or after <paramref name="start"/> (a <see cref="TimeProvider.System"/> timestamp), in seconds since it, in order.</summary>
    public EndpointTraffic Traffic(long start)
    {
        var seconds = new List<double>(_arrivals.Count);
        foreach (long arrival in _arrivals)
        {
            if (arrival >= start)
            {
                seconds.Add(TimeProvider.System.GetElapsedTime(start, arrival).TotalSeconds);
            }
        }

        seconds.Sort();
        return new EndpointTraffic(Service, Name, Address, seconds);
    }
}
