using System.Diagnostics;
using System.Diagnostics.Metrics;
using Etcdserverpb;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Discovery.Internal;
using Resilience.Discovery.Tests.Integration;
using Xunit.Abstractions;

namespace Resilience.Discovery.Tests.Etcd;

public sealed class EtcdServiceWatchTests(ITestOutputHelper output)
{
    private const int Changes = 50;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [EtcdFact]
    public async Task Watch_InstanceRegisters_ClientSeesItWithinASecond()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using var client = new DiscoveryClient(etcd);
        EndpointSet before = await client.CurrentAsync(); // the client reads the prefix and watches it

        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a", registration: o =>
        {
            o.Weight = 3;
            o.Version = "v2";
            o.Zone = "zone-a";
        });
        (EndpointSet set, TimeSpan elapsed) = await client.WaitForAsync(s => DiscoveryClient.Has(s, a));

        elapsed.Should().BeLessThan(Second);
        set.Version.Should().BeGreaterThan(before.Version);
        DiscoveredEndpoint endpoint = set.Endpoints.Should().ContainSingle().Subject;
        (endpoint.Weight, endpoint.Version, endpoint.Zone).Should().Be((3, "v2", "zone-a"));
    }

    [EtcdFact]
    public async Task Watch_InstanceStopsGracefully_ClientLosesItWithinASecondAndRequestsFailResolution()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a");
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(s => DiscoveryClient.Has(s, a));

        await a.StopAsync();
        (EndpointSet set, TimeSpan elapsed) = await client.WaitForAsync(s => !DiscoveryClient.Has(s, a));
        Func<Task> call = () => client.CreateClient().GetAsync("/who");

        elapsed.Should().BeLessThan(Second);
        set.Endpoints.Should().BeEmpty("the pass-through guess is dropped for a name etcd answers for");
        (await call.Should().ThrowAsync<HttpRequestException>()).Which.HttpRequestError.Should().Be(HttpRequestError.NameResolutionError);
    }

    /// <summary>
    /// Issue 15 §4: 50 registrations, then 50 graceful removals, one at a time, each timed from the start of the
    /// registration (lease grant and put) or of the removal (delete) to the client's endpoint set changing. Writes
    /// the median and the maximum of each to the test output.
    /// </summary>
    [EtcdFact]
    public async Task Watch_FiftyRegistrationsThenFiftyRemovals_EachReachesTheClientWithinASecond()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using var client = new DiscoveryClient(etcd);
        await client.CurrentAsync(); // the client reads the prefix and watches it
        await using ServiceProvider registry = new ServiceCollection()
            .AddEtcdServiceDiscovery(o => o.Endpoints.Add(etcd.ClientUrl))
            .BuildServiceProvider();
        var registrations = new List<EtcdInstanceRegistration>(Changes);
        var registered = new List<TimeSpan>(Changes);
        var removed = new List<TimeSpan>(Changes);

        for (int i = 0; i < Changes; i++)
        {
            var record = new EtcdInstanceRecord(new Uri($"http://10.0.0.{i + 1}:8080"), 1, null, null);
            var registration = new EtcdInstanceRegistration(
                InventoryInstance.Service, "i" + i, record, registry.GetRequiredService<EtcdConnection>(), registry.GetRequiredService<DiscoveryTelemetry>(), TimeProvider.System);
            registrations.Add(registration);
            int count = i + 1;
            registered.Add(await TimeChangeAsync(client, () => registration.StartAsync(CancellationToken.None), s => s.Endpoints.Count == count));
        }

        for (int i = 0; i < Changes; i++)
        {
            EtcdInstanceRegistration registration = registrations[i];
            int count = Changes - i - 1;
            removed.Add(await TimeChangeAsync(client, () => registration.StopAsync(CancellationToken.None), s => s.Endpoints.Count == count));
            await registration.DisposeAsync();
        }

        output.WriteLine($"registration → client: median {Median(registered).TotalMilliseconds:F1} ms, max {registered.Max().TotalMilliseconds:F1} ms ({Changes} changes)");
        output.WriteLine($"removal → client: median {Median(removed).TotalMilliseconds:F1} ms, max {removed.Max().TotalMilliseconds:F1} ms ({Changes} changes)");
        registered.Should().OnlyContain(t => t < Second);
        removed.Should().OnlyContain(t => t < Second);
    }

    [EtcdFact]
    public async Task Watch_EtcdStoppedAndRestarted_KeepsTheLastEndpointsThenResumes()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a", ttl: TimeSpan.FromSeconds(10));
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(s => DiscoveryClient.Has(s, a));
        using var errors = new RegistryErrorListener();

        await etcd.KillAsync();
        await errors.WaitForWatchErrorAsync();
        string whileDown = await client.CreateClient().GetStringAsync("/who");
        EndpointSet stale = await client.CurrentAsync();
        await etcd.StartAgainAsync();
        await using InventoryInstance b = await InventoryInstance.StartAsync(etcd, "b");
        (EndpointSet resumed, _) = await client.WaitForAsync(s => DiscoveryClient.Has(s, b));

        whileDown.Should().Be("a", "the last known endpoints stay in use while etcd is unreachable");
        DiscoveryClient.Has(stale, a).Should().BeTrue();
        DiscoveryClient.Has(resumed, a).Should().BeTrue("instance a's lease survived the restart");
        resumed.Version.Should().BeGreaterThan(stale.Version);
    }

    [EtcdFact]
    public async Task Watch_ValueNotAnInstance_IsIgnored()
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using InventoryInstance a = await InventoryInstance.StartAsync(etcd, "a");
        await using var client = new DiscoveryClient(etcd);
        await client.WaitForAsync(s => DiscoveryClient.Has(s, a));
        EtcdConnection connection = client.Get<EtcdConnection>();
        long before = (await client.CurrentAsync()).Version;

        foreach ((string key, string value) in ((string, string)[])[
            ("not-json", "{"), ("no-address", "{\"weight\":2}"), ("ftp", "{\"address\":\"ftp://10.0.0.1\"}"), ("array", "[1]")])
        {
            await connection.Kv.PutAsync(new PutRequest { Key = EtcdConnection.Key("/services/inventory/" + key), Value = EtcdConnection.Key(value) });
        }

        await connection.Kv.PutAsync(new PutRequest { Key = EtcdConnection.Key("/services/inventory/z"), Value = EtcdConnection.Key("{\"address\":\"http://10.0.0.9:80\",\"weight\":0}") });
        (EndpointSet set, _) = await client.WaitForAsync(s => s.Endpoints.Count == 2);

        set.Version.Should().BeGreaterThan(before);
        set.Endpoints.Select(e => e.ToString()).Should().Equal(a.Address.GetLeftPart(UriPartial.Authority), "http://10.0.0.9");
        set.Endpoints[1].Weight.Should().Be(1, "a weight below 1 falls back to the default");
    }

    /// <summary>The time from the start of <paramref name="change"/> to the client's set satisfying <paramref name="changed"/>.</summary>
    private static async Task<TimeSpan> TimeChangeAsync(DiscoveryClient client, Func<Task> change, Func<EndpointSet, bool> changed)
    {
        // The wait first subscribes to the current set's change token, so that no change is missed.
        long start = Stopwatch.GetTimestamp();
        Task<(EndpointSet Set, TimeSpan Elapsed)> seen = client.WaitForAsync(changed);
        await change();
        await seen;
        return Stopwatch.GetElapsedTime(start);
    }

    private static TimeSpan Median(List<TimeSpan> times)
    {
        List<TimeSpan> sorted = [.. times.Order()];
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Listens to <c>resilience.discovery.registry.errors</c> and completes when a watch error was counted.</summary>
    private sealed class RegistryErrorListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly TaskCompletionSource _watchError = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public RegistryErrorListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DiscoveryTelemetry.MeterName && instrument.Name == "resilience.discovery.registry.errors")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, state) =>
            {
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == "operation" && (string?)tag.Value == DiscoveryTelemetry.WatchOperation)
                    {
                        _watchError.TrySetResult();
                    }
                }
            });
            _listener.Start();
        }

        public Task WaitForWatchErrorAsync() => _watchError.Task.WaitAsync(TimeSpan.FromSeconds(20));

        public void Dispose() => _listener.Dispose();
    }
}
