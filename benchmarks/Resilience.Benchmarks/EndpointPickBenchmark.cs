using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Resilience.Discovery;
using Resilience.Routing;
using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;
using Yarp.ReverseProxy.Model;
using YarpPolicy = Yarp.ReverseProxy.LoadBalancing.ILoadBalancingPolicy;

namespace Resilience.Benchmarks;

/// <summary>
/// The cost of one pick among 3, 100 and 1,000 endpoints: each of our policies, YARP's <c>PowerOfTwoChoices</c> (its
/// default) and Microsoft.Extensions.ServiceDiscovery's round robin, against a bare baseline (a counter modulo the count).
/// </summary>
/// <remarks>
/// <para>M.E.ServiceDiscovery's selector (<c>RoundRobinServiceEndpointSelector</c>) and its interface are internal, and its
/// resolving handler's cost is mostly resolution (see <see cref="DiscoveryBenchmark"/>). <see cref="ServiceDiscoveryRoundRobin"/>
/// calls the real selector: created by reflection in the setup, given the endpoints through its <c>SetEndpoints</c>, and
/// called through a delegate bound to its <c>GetEndpoint</c>, as its handler calls it through the interface. The baseline
/// does what that selector does per pick, an interlocked counter modulo the count over an array, without the call.</para>
/// <para>Our policies pick from a snapshot with every endpoint idle but one busy; the hash policies read their key from a
/// header of one request built in the setup. Tables (ring, Maglev, round-robin order) are built in the setup, as they are
/// once per endpoint-set version.</para>
/// </remarks>
[MemoryDiagnoser]
public class EndpointPickBenchmark
{
    private RoutingSnapshot _snapshot = null!;
    private HttpRequestMessage _request = null!;
    private ILoadBalancingPolicy _leastRequest = null!;
    private ILoadBalancingPolicy _roundRobin = null!;
    private ILoadBalancingPolicy _random = null!;
    private ILoadBalancingPolicy _ringHash = null!;
    private ILoadBalancingPolicy _maglev = null!;
    private YarpPolicy _yarp = null!;
    private ServiceProvider _yarpServices = null!;
    private DefaultHttpContext _httpContext = null!;
    private ClusterState _cluster = null!;
    private DestinationState[] _destinations = null!;
    private DiscoveredEndpoint[] _endpoints = null!;
    private Func<object?, ServiceEndpoint> _serviceDiscoveryPick = null!;
    private int _next;

    [Params(3, 100, 1000)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _endpoints = [.. Enumerable.Range(0, Endpoints).Select(static i =>
        {
            var address = new IPEndPoint(new IPAddress([10, 0, (byte)(i / 250), (byte)((i % 250) + 1)]), 80);
            return new DiscoveredEndpoint(address, $"http://{address}", 1, null, null);
        })];
        EndpointState[] states = [.. _endpoints.Select(static e => new EndpointState(e.ToString(), EndpointJoin.Initial))];
        states[0].TryEnter(EndpointState.Unlimited);
        _snapshot = new RoutingSnapshot("http://svc", 1, _endpoints, [.. _endpoints.Select(static _ => 1)], states);
        _request = new HttpRequestMessage(HttpMethod.Get, "http://svc/x");
        _request.Headers.Add("x-user", "user-42");

        var key = new HashKey("x-user", null);
        _leastRequest = new LeastRequestPolicy(2, 1.0, default, RandomSource.Shared, TimeProvider.System);
        _roundRobin = new RoundRobinPolicy(default, RandomSource.Shared, TimeProvider.System);
        _random = new RandomPolicy(RandomSource.Shared);
        _ringHash = new RingHashPolicy(1024, 8 * 1024 * 1024, key, RandomSource.Shared);
        _maglev = new MaglevPolicy(65537, key, RandomSource.Shared);

        _yarpServices = new ServiceCollection().AddReverseProxy().Services.BuildServiceProvider();
        _yarp = _yarpServices.GetServices<YarpPolicy>().Single(static p => p.Name == "PowerOfTwoChoices");
        _httpContext = new DefaultHttpContext();
        _cluster = new ClusterState("svc");
        _destinations = [.. Enumerable.Range(0, Endpoints).Select(static i => new DestinationState("d" + i))];
        _destinations[0].ConcurrentRequestCount = 1;
        _serviceDiscoveryPick = ServiceDiscoverySelector([.. _endpoints.Select(static e => ServiceEndpoint.Create(e.EndPoint))]);

        // Build the tables and check each policy picks.
        foreach (Func<int> pick in (Func<int>[])[LeastRequest, RoundRobin, Random, RingHash, Maglev])
        {
            Workload.Expect(pick() >= 0, "every policy should pick an endpoint");
        }

        Workload.Expect(!ReferenceEquals(_serviceDiscoveryPick(null), _serviceDiscoveryPick(null)) || Endpoints == 1, "the selector should go round");
    }

    /// <summary>M.E.ServiceDiscovery's own round-robin selector over <paramref name="endpoints"/>, as a delegate to its pick.</summary>
    private static Func<object?, ServiceEndpoint> ServiceDiscoverySelector(List<ServiceEndpoint> endpoints)
    {
        const string Name = "Microsoft.Extensions.ServiceDiscovery.LoadBalancing.RoundRobinServiceEndpointSelector";
        Type type = typeof(ServiceEndpointResolver).Assembly.GetType(Name, throwOnError: true)!;
        object selector = Activator.CreateInstance(type, nonPublic: true)!;
        type.GetMethod("SetEndpoints")!.Invoke(selector, [new ServiceEndpointSource(endpoints, new CancellationChangeToken(CancellationToken.None), new FeatureCollection())]);
        return type.GetMethod("GetEndpoint")!.CreateDelegate<Func<object?, ServiceEndpoint>>(selector);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _request.Dispose();
        _yarpServices.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int Bare() => (int)(unchecked((uint)Interlocked.Increment(ref _next)) % (uint)_endpoints.Length);

    [Benchmark]
    public ServiceEndpoint ServiceDiscoveryRoundRobin() => _serviceDiscoveryPick(null);

    [Benchmark]
    public DestinationState? YarpPowerOfTwoChoices() => _yarp.PickDestination(_httpContext, _cluster, _destinations);

    [Benchmark]
    public int LeastRequest() => _leastRequest.Pick(new LoadBalancingContext(_request, _snapshot));

    [Benchmark]
    public int RoundRobin() => _roundRobin.Pick(new LoadBalancingContext(_request, _snapshot));

    [Benchmark]
    public int Random() => _random.Pick(new LoadBalancingContext(_request, _snapshot));

    [Benchmark]
    public int RingHash() => _ringHash.Pick(new LoadBalancingContext(_request, _snapshot));

    [Benchmark]
    public int Maglev() => _maglev.Pick(new LoadBalancingContext(_request, _snapshot));
}
