using System.Collections.Concurrent;
using System.Diagnostics;

namespace Resilience.Http.Internal;

/// <summary>
/// The breakers of one HTTP breaker instance: one for the client, or one per authority (scheme, host and port) with
/// idle eviction. Immutable apart from the per-authority map; a reload builds a new set.
/// </summary>
/// <remarks>
/// <para><b>Eviction.</b> Each per-authority entry stamps the time of its last call (at most once a second, to keep
/// the shared write rare). Sweeps ride on calls: at most once per quarter of the idle timeout, the calling thread
/// removes the entries idle for longer than the timeout. No timer is needed, and a client that stops calling keeps
/// only the entries it had.</para>
/// <para><b>Invariant.</b> An authority maps to at most one breaker at a time; a removed breaker may finish the calls
/// that already hold it, which then record into a breaker nobody reads again. That is the price of eviction.</para>
/// </remarks>
internal sealed class BreakerSet
{
    private readonly CircuitBreaker? _single;
    private readonly ConcurrentDictionary<AuthorityKey, AuthorityEntry>? _byAuthority;
    private readonly TimeProvider _timeProvider;
    private readonly long _idleUnits;
    private readonly long _sweepIntervalUnits;
    private long _lastSweep;

    public BreakerSet(string instanceName, HttpCircuitBreakerOptions options, TimeProvider timeProvider)
    {
        InstanceName = instanceName;
        Options = options;
        Rule = HttpFailureRule.Create(options.FailureStatusCodes, options.FailureGrpcStatusCodes, HttpResilienceConstants.DefaultFailureGrpcStatusCodes, options.FailureResponsePredicate);
        _timeProvider = timeProvider;
        CoreOptions = ToCoreOptions(options, Rule);
        if (options.PerAuthority)
        {
            _byAuthority = new ConcurrentDictionary<AuthorityKey, AuthorityEntry>();
            _idleUnits = (long)(options.AuthorityIdleTimeout.TotalSeconds * timeProvider.TimestampFrequency);
            _sweepIntervalUnits = Math.Max(1, _idleUnits / 4);
            _lastSweep = timeProvider.GetTimestamp();
        }
        else
        {
            _single = new CircuitBreaker(instanceName, CoreOptions, timeProvider);
        }
    }

    /// <summary>Gets the name of the breaker in the registry, which prefixes the names of per-authority breakers.</summary>
    public string InstanceName { get; }

    /// <summary>Gets the options the set was built from (a private copy).</summary>
    public HttpCircuitBreakerOptions Options { get; }

    /// <summary>Gets which responses are failures.</summary>
    public HttpFailureRule Rule { get; }

    /// <summary>Gets the options the breakers are built with: the HTTP exception and response rules filled in.</summary>
    public CircuitBreakerOptions CoreOptions { get; }

    /// <summary>Raised when a per-authority breaker is created, so telemetry can subscribe to it and the registry can publish it.</summary>
    public event Action<CircuitBreaker>? BreakerCreated;

    /// <summary>Raised when an idle per-authority breaker is evicted, so the registry can withdraw it.</summary>
    public event Action<CircuitBreaker>? BreakerEvicted;

    /// <summary>Gets the breaker for the client, when there is one per client.</summary>
    public CircuitBreaker? Single => _single;

    /// <summary>Gets every live breaker of the set.</summary>
    public IEnumerable<CircuitBreaker> Breakers => _single is not null ? [_single] : _byAuthority!.Values.Select(e => e.Breaker);

    /// <summary>Gets the number of per-authority breakers.</summary>
    public int AuthorityCount => _byAuthority?.Count ?? 0;

    /// <summary>Selects the breaker for <paramref name="request"/>.</summary>
    public CircuitBreaker Select(HttpRequestMessage request)
    {
        if (_single is not null)
        {
            return _single;
        }

        Uri? uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            throw new InvalidOperationException("A per-authority circuit breaker needs an absolute request URI; set HttpClient.BaseAddress or use absolute URIs.");
        }

        long now = _timeProvider.GetTimestamp();
        var key = new AuthorityKey(uri.Scheme, uri.IdnHost, uri.Port);
        if (!_byAuthority!.TryGetValue(key, out AuthorityEntry? entry))
        {
            // Not GetOrAdd's factory, which racing threads may each run: only the breaker that is kept is announced.
            AuthorityEntry created = CreateEntry(key);
            entry = _byAuthority.GetOrAdd(key, created);
            if (ReferenceEquals(entry, created))
            {
                BreakerCreated?.Invoke(created.Breaker);
            }
        }

        entry.Touch(now, _timeProvider.TimestampFrequency);
        if (now - Volatile.Read(ref _lastSweep) >= _sweepIntervalUnits)
        {
            Sweep(now);
        }

        return entry.Breaker;
    }

    /// <summary>Removes per-authority breakers idle for longer than the timeout.</summary>
    internal void Sweep(long now)
    {
        long last = Volatile.Read(ref _lastSweep);
        if (Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return; // another thread sweeps
        }

        foreach (KeyValuePair<AuthorityKey, AuthorityEntry> pair in _byAuthority!)
        {
            if (now - Volatile.Read(ref pair.Value.LastUsed) > _idleUnits && _byAuthority.TryRemove(pair))
            {
                BreakerEvicted?.Invoke(pair.Value.Breaker);
            }
        }
    }

    private AuthorityEntry CreateEntry(AuthorityKey key)
    {
        string name = $"{InstanceName}/{key.Scheme}://{key.Host}:{key.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return new AuthorityEntry(new CircuitBreaker(name, CoreOptions, _timeProvider), _timeProvider.GetTimestamp());
    }

    /// <summary>
    /// Copies the options and fills in the HTTP rules: the failure exceptions unless record rules are set, and the
    /// failure responses as the result predicate (OR a result predicate of the user's), so that a handler just
    /// completes its permit with the response.
    /// </summary>
    private static HttpCircuitBreakerOptions ToCoreOptions(HttpCircuitBreakerOptions options, HttpFailureRule rule)
    {
        HttpCircuitBreakerOptions copy = options.CloneHttp();
        if (copy.RecordExceptionPredicate is null && copy.RecordExceptions.Count == 0)
        {
            copy.RecordExceptionPredicate = static ex => HttpFailureClassifier.IsFailureException(ex, CancellationToken.None);
        }

        Func<object, bool>? user = copy.RecordResultPredicate;
        copy.RecordResultPredicate = user is null
            ? result => result is HttpResponseMessage response && rule.IsFailure(response)
            : result => (result is HttpResponseMessage response && rule.IsFailure(response)) || user(result);
        return copy;
    }

    private readonly record struct AuthorityKey(string Scheme, string Host, int Port);

    private sealed class AuthorityEntry(CircuitBreaker breaker, long created)
    {
        public readonly CircuitBreaker Breaker = breaker;
        public long LastUsed = created;

        public void Touch(long now, long frequency)
        {
            Debug.Assert(frequency > 0, "timestamps advance");
            if (now - Volatile.Read(ref LastUsed) >= frequency)
            {
                Volatile.Write(ref LastUsed, now);
            }
        }
    }
}
