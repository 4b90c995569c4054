using System.Net;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using Resilience.Discovery;
using Resilience.Routing;
using Resilience.Routing.Internal;
using Resilience.Routing.LoadBalancing;

namespace Resilience.Simulations.Simulation;

/// <summary>
/// A discrete-event simulation of one client routing to one service, in virtual time: exact and reproducible for a seed.
/// </summary>
/// <remarks>
/// <para>What is real: the attempt path of the routing handler, driven the way the handler drives it:
/// <c>EndpointRouter.Begin</c> (the policy's pick over the endpoints' active counts, ejected endpoints skipped unless in
/// panic, a retry avoiding the endpoints tried, the retry budget), <c>EndpointState.TryEnter</c>/<c>Exit</c>, and
/// <c>EndpointRouter.End</c>, which classifies the outcome and feeds the <c>OutlierDetector</c>, whose sweep timer runs
/// on a <see cref="FakeTimeProvider"/> advanced from event to event.</para>
/// <para>What is modelled: Poisson arrivals; endpoints with a number of workers, a FIFO queue and a service time of
/// mean × U(0.5, 1.5); the odd endpoint's 503s; the attempt deadline; retries sent at once, with no back-off.</para>
/// </remarks>
public sealed class RoutingSimulation
{
    private const string ServiceName = "http://svc";
    private static readonly HttpResponseMessage Ok = new(HttpStatusCode.OK);
    private static readonly HttpResponseMessage Unavailable = new(HttpStatusCode.ServiceUnavailable);
    private static readonly TimeoutException Deadline = new("The attempt's deadline passed.");

    private readonly SimulationSettings _settings;
    private readonly PriorityQueue<Event, (long Time, long Sequence)> _events = new();
    private readonly FakeTimeProvider _time = new();
    private readonly Random _random;
    private readonly Server[] _servers;
    private readonly Dictionary<string, int> _indices = new(StringComparer.Ordinal);
    private readonly List<long> _latencies = [];
    private EndpointRouter _router = null!;
    private EndpointSet _set = null!;
    private long _now;
    private long _sequence;
    private long _attempts;
    private long _attemptsToOdd;
    private int _failed;
    private int _ejections;
    private int _refusedRetries;

    private RoutingSimulation(SimulationSettings settings)
    {
        _settings = settings;
        _random = new Random(settings.Seed);
        _servers = [.. Enumerable.Range(0, settings.Endpoints).Select(static _ => new Server())];
    }

    private enum Kind
    {
        Arrival,
        ServiceDone,
        DeadlinePassed,
    }

    /// <summary>Runs <paramref name="settings"/> to the end and returns what the client saw.</summary>
    public static SimulationResult Run(SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RoutingSimulation(settings).Run();
    }

    private SimulationResult Run()
    {
        var endpoints = new DiscoveredEndpoint[_settings.Endpoints];
        for (int i = 0; i < endpoints.Length; i++)
        {
            var address = new IPEndPoint(new IPAddress([10, 0, 0, (byte)(i + 1)]), 80);
            endpoints[i] = new DiscoveredEndpoint(address, $"http://{address}", 1, null, null);
            _indices.Add(endpoints[i].ToString(), i);
        }

        _set = new EndpointSet(ServiceName, endpoints, 1, new CancellationChangeToken(CancellationToken.None), this);
        var options = new EndpointRoutingOptions
        {
            Policy = _settings.Policy,
            OutlierDetection = _settings.OutlierDetection,
            RetryBudget = _settings.RetryBudget,
        };
        using var registry = new EndpointStateRegistry();
        using var outlierTelemetry = new OutlierTelemetry();
        using var budgetTelemetry = new RetryBudgetTelemetry();
        ILoadBalancingPolicy policy = LoadBalancingPolicyFactory.Create(options, [], RandomSource.Seeded(_settings.Seed + 1), _time);

        // The router takes sets from its resolver; here the simulation hands it the one set, so it needs none.
        _router = new EndpointRouter(null!, registry, policy, _time, options, outlierTelemetry, budgetTelemetry);
        if (_settings.OutlierDetection is { } outliers)
        {
            // Made here rather than on the first request so that its enforcement rolls are seeded too.
            OutlierDetector detector = registry.For(ServiceName).EnsureDetector(
                static s => new OutlierDetector(ServiceName, s.Options, s.Time, s.Telemetry, new Random(s.Seed + 2)),
                (Options: outliers, Time: _time, Telemetry: outlierTelemetry, _settings.Seed));
            detector.Ejected += (_, _) => _ejections++;
        }

        long end = _settings.Duration.Ticks;
        Schedule(NextArrival(0), new Event(Kind.Arrival, null, null));
        while (_events.TryDequeue(out Event next, out (long Time, long Sequence) at))
        {
            if (at.Time > _now)
            {
                _time.Advance(TimeSpan.FromTicks(at.Time - _now)); // fires the detector's sweeps due meanwhile
                _now = at.Time;
            }

            switch (next.Kind)
            {
                case Kind.Arrival:
                    StartAttempt(new Request(new HttpRequestMessage(HttpMethod.Get, ServiceName + "/work"), _now));
                    long following = NextArrival(_now);
                    if (following < end)
                    {
                        Schedule(following, next);
                    }

                    break;
                case Kind.ServiceDone:
                    Finish(next.Job!);
                    break;
                case Kind.DeadlinePassed:
                    if (next.Request!.IsCurrent(next.Job!))
                    {
                        EndAttempt(next.Request, null, Deadline);
                    }

                    break;
            }
        }

        _latencies.Sort();
        return new SimulationResult(_latencies.Count, _failed, _attempts, _attemptsToOdd, Percentile(0.50), Percentile(0.99), _ejections, _refusedRetries);
    }

    private void StartAttempt(Request request)
    {
        RoutedAttempt attempt;
        try
        {
            attempt = _router.Begin(request.Message, _set);
        }
        catch (Exception e) when (e is RetryBudgetExhaustedException or HttpRequestException)
        {
            _refusedRetries += e is RetryBudgetExhaustedException ? 1 : 0;
            Complete(request, failed: true); // a retry the budget refused, or no endpoint at all
            return;
        }

        // As the handler: take a slot, and name the endpoint on the request, which is how a retry knows it is one.
        attempt.State.TryEnter(EndpointState.Unlimited);
        request.Message.Options.Set(EndpointRoutingOptions.EndpointKey, attempt.Endpoint);
        int index = _indices[attempt.State.Key];
        bool odd = index == 0;
        double mean = (odd ? _settings.OddServiceTime : _settings.ServiceTime).Ticks;
        var job = new Job(request, index, (long)(mean * (0.5 + _random.NextDouble())), odd && _random.NextDouble() < _settings.OddFailureRate);
        request.Begin(attempt, job);
        _attempts++;
        _attemptsToOdd += odd ? 1 : 0;

        Server server = _servers[index];
        if (server.Busy < _settings.Workers)
        {
            server.Busy++;
            Schedule(_now + job.ServiceTicks, new Event(Kind.ServiceDone, request, job));
        }
        else
        {
            server.Waiting.Enqueue(job);
        }

        if (_settings.AttemptTimeout is { } timeout)
        {
            Schedule(_now + timeout.Ticks, new Event(Kind.DeadlinePassed, request, job));
        }
    }

    /// <summary>The endpoint finished a job: its worker takes the next one; the answer counts if the client still waits for it.</summary>
    private void Finish(Job job)
    {
        Server server = _servers[job.Endpoint];
        if (server.Waiting.TryDequeue(out Job? waiting))
        {
            Schedule(_now + waiting.ServiceTicks, new Event(Kind.ServiceDone, waiting.Request, waiting));
        }
        else
        {
            server.Busy--;
        }

        if (job.Request.IsCurrent(job))
        {
            EndAttempt(job.Request, job.Fails ? Unavailable : Ok, null);
        }
    }

    /// <summary>As the handler's <c>Leave</c>: the slot back, the outcome to the router; then a retry or the answer.</summary>
    private void EndAttempt(Request request, HttpResponseMessage? response, Exception? failure)
    {
        RoutedAttempt attempt = request.End();
        attempt.State.Exit(EndpointState.Unlimited);
        EndpointRouter.End(attempt, response, failure, CancellationToken.None);
        bool failed = failure is not null || (int)response!.StatusCode >= 500;
        if (failed && request.Attempts < _settings.MaxAttempts)
        {
            StartAttempt(request);
            return;
        }

        Complete(request, failed);
    }

    private void Complete(Request request, bool failed)
    {
        _latencies.Add(_now - request.Start);
        _failed += failed ? 1 : 0;
        request.Message.Dispose();
    }

    private long NextArrival(long after) => after + (long)(-Math.Log(1 - _random.NextDouble()) / _settings.RequestsPerSecond * TimeSpan.TicksPerSecond);

    private void Schedule(long at, Event e) => _events.Enqueue(e, (at, _sequence++));

    private TimeSpan Percentile(double p) =>
        _latencies.Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(_latencies[Math.Max(0, (int)Math.Ceiling(p * _latencies.Count) - 1)]);

    private readonly record struct Event(Kind Kind, Request? Request, Job? Job);

    private sealed record Job(Request Request, int Endpoint, long ServiceTicks, bool Fails);

    private sealed class Server
    {
        public int Busy { get; set; }

        public Queue<Job> Waiting { get; } = new();
    }

    /// <summary>A client request: its message (carrying the tried endpoints, as a real one does) and its attempt in flight.</summary>
    private sealed class Request(HttpRequestMessage message, long start)
    {
        private RoutedAttempt _attempt;
        private Job? _current;

        public HttpRequestMessage Message { get; } = message;

        public long Start { get; } = start;

        public int Attempts { get; private set; }

        public void Begin(RoutedAttempt attempt, Job job)
        {
            _attempt = attempt;
            _current = job;
            Attempts++;
        }

        /// <summary>Tells whether <paramref name="job"/> is the attempt the client still waits for (not timed out, not answered).</summary>
        public bool IsCurrent(Job job) => ReferenceEquals(_current, job);

        public RoutedAttempt End()
        {
            _current = null;
            return _attempt;
        }
    }
}
