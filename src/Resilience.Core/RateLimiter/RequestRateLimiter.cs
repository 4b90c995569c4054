using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

/// <summary>
/// A rate limiter with the semantics of Resilience4j's <c>AtomicRateLimiter</c>: <see cref="LimitForPeriod"/> permits per
/// <see cref="LimitRefreshPeriod"/>, refilled at each period boundary and capped at one period's worth, with
/// reservations of future permits for callers that may wait up to <see cref="TimeoutDuration"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Name.</b> It is not called <c>RateLimiter</c> so that it never collides with
/// <c>System.Threading.RateLimiting.RateLimiter</c> when both namespaces are imported. Use
/// <c>AsRateLimiter()</c> to hand it to code that expects that abstraction, such as ASP.NET Core.
/// </para>
/// <para>
/// <b>Periods.</b> Cycle <c>n</c> covers [n × period, (n + 1) × period) after construction, on the injected
/// <see cref="TimeProvider"/>; cycle 0 starts with <see cref="LimitForPeriod"/> permits. On the first read in a new
/// cycle, the permissions become min(permissions + elapsed cycles × limit, limit). Permissions below zero are
/// reservations: permits of future cycles already promised to waiting callers.
/// </para>
/// <para>
/// <b>Concurrency.</b> The active cycle and permissions live in one 64-bit word, replaced by compare-and-swap: bits
/// 63–35 hold the cycle modulo 2^29, bits 34–32 a configuration generation modulo 8, bits 31–0 the permissions as
/// a signed 32-bit integer. Invariants (checked with <c>Debug.Assert</c>): cycles in the word never decrease; the
/// active cycle lies in [rebase, rebase + 2^28), where <c>rebase</c> is a 64-bit cycle rewritten once every 2^28
/// cycles, so the full cycle is rebuilt exactly from the 29-bit field; a grant never takes more than the refilled
/// permissions plus reservations bounded by the timeout, and permissions never fall below <see cref="int.MinValue"/>
/// (a reservation that would is refused). The rebase takes a lock, once every 2^28 cycles (27 s at a 100 ns period,
/// 134 s at the default 500 ns, years at 1 ms); every acquire, refusal and drain is lock-free and allocates nothing.
/// <see cref="ChangeLimitForPeriod"/> and <see cref="ChangeTimeoutDuration"/> swap an immutable configuration and
/// then advance the generation in the word, so an acquire that read the old configuration cannot commit after the
/// change (unless eight changes happen during its few instructions).
/// </para>
/// </remarks>
public sealed partial class RequestRateLimiter : IResilienceLayer
{
    private readonly TimeProvider _timeProvider;
    private readonly long _start;

    /// <summary>Timestamp units per millisecond of the coarse clock, or 0 when the precise clock is read.</summary>
    private readonly long _coarseUnitsPerMillisecond;
    private readonly long _coarseStart;
    private readonly bool _exactClock;
    private readonly long _unitsPerTick;
    private readonly long _periodUnits;

    /// <summary>The cycle last computed from the clock, so that most acquires need no division (see <see cref="CycleOf"/>).</summary>
    private long _lastCycle;
    private readonly Func<object?, Exception?, bool>? _drainPredicate;
    private readonly Lock _rebaseLock = new();
    private PaddedLong _state;
    private long _rebaseCycle;
    private LimiterConfig _config;
    private int _waitingCallers;
    private RateLimiterAdapter? _adapter;

    /// <summary>Initializes a new instance of the <see cref="RequestRateLimiter"/> class.</summary>
    /// <param name="name">The name of the limiter, used in events, exceptions and telemetry.</param>
    /// <param name="options">The options, copied and validated now; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The source of time; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The name is empty, or an option is invalid; the message names the option, the value and the valid range.</exception>
    public RequestRateLimiter(string name, RequestRateLimiterOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new RequestRateLimiterOptions();
        RequestRateLimiterOptionsValidator.Validate(options);
        Name = name;
        Events = new RequestRateLimiterEvents(name);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _drainPredicate = options.DrainPermissionsOnResult;
        _config = new LimiterConfig(options.LimitForPeriod, options.TimeoutDuration);
        LimitRefreshPeriod = options.LimitRefreshPeriod;

        // Count in timestamp units when a tick is a whole number of them (10 MHz, 1 GHz clocks); otherwise in ticks.
        long frequency = _timeProvider.TimestampFrequency;
        Int128 periodUnits = (Int128)LimitRefreshPeriod.Ticks * (frequency / TimeSpan.TicksPerSecond);
        _exactClock = frequency % TimeSpan.TicksPerSecond == 0 && periodUnits <= long.MaxValue;
        _unitsPerTick = _exactClock ? frequency / TimeSpan.TicksPerSecond : 1;
        _periodUnits = _exactClock ? (long)periodUnits : LimitRefreshPeriod.Ticks;
        _start = _timeProvider.GetTimestamp();

        // A precise clock read costs about 25 ns on virtual machines; the coarse monotonic clock costs a few. Against a
        // period of a second or more its lag (one scheduler tick, 1-16 ms) only makes a refill that much late, never
        // early, so the limit per period still holds.
        if (ReferenceEquals(_timeProvider, TimeProvider.System) && _exactClock && frequency % 1000 == 0
            && LimitRefreshPeriod >= RequestRateLimiterConstants.CoarseClockMinimumPeriod)
        {
            _coarseUnitsPerMillisecond = frequency / 1000;
            _coarseStart = Environment.TickCount64;
        }

        _state.Value = Pack(0, 0, options.LimitForPeriod);
    }

    /// <summary>Gets a value indicating whether time is read from the coarse monotonic clock (see <see cref="RequestRateLimiterOptions.LimitRefreshPeriod"/>).</summary>
    internal bool UsesCoarseClock => _coarseUnitsPerMillisecond != 0;

    /// <summary>Gets the name of the limiter.</summary>
    public string Name { get; }

    /// <summary>Gets the events of this limiter.</summary>
    public RequestRateLimiterEvents Events { get; }

    /// <summary>Gets the <see cref="TimeProvider"/> the limiter reads time from.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Gets the number of permits granted per period; see <see cref="ChangeLimitForPeriod"/>.</summary>
    public int LimitForPeriod => Volatile.Read(ref _config).Limit;

    /// <summary>Gets the length of a period.</summary>
    public TimeSpan LimitRefreshPeriod { get; }

    /// <summary>Gets how long a caller may wait for a permit; see <see cref="ChangeTimeoutDuration"/>.</summary>
    public TimeSpan TimeoutDuration => Volatile.Read(ref _config).Timeout;

    /// <summary>Takes a snapshot of the permits and waiting callers, estimated for now.</summary>
    /// <returns>The snapshot.</returns>
    public RequestRateLimiterMetrics GetMetrics()
    {
        Read(out LimiterConfig config, out long units, out long cycle, out long available);
        return new RequestRateLimiterMetrics
        {
            AvailablePermissions = (int)available,
            NumberOfWaitingCallers = Volatile.Read(ref _waitingCallers),
            Cycle = cycle,
            TimeUntilPermission = available >= 1 ? TimeSpan.Zero : TimeSpan.FromTicks(WaitTicks(1 - available, config.Limit, cycle, units)),
        };
    }

    /// <summary>Takes <paramref name="permits"/> if they are available now, without waiting or reserving.</summary>
    /// <param name="permits">The number of permits, at least 1.</param>
    /// <returns><see langword="true"/> if the permits were taken.</returns>
    /// <remarks>
    /// It never waits and never reserves, whatever <see cref="TimeoutDuration"/> says. Resilience4j has no such call:
    /// its <c>acquirePermission</c> waits up to the timeout and returns <see langword="false"/> when it cannot, which is
    /// <see cref="AcquirePermission"/> here (throwing instead of returning <see langword="false"/>).
    /// </remarks>
    public bool TryAcquirePermission(int permits = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permits);
        bool granted = Reserve(permits, mayWait: false, out _, out _) == Grant.Now;
        Publish(granted ? RequestRateLimiterEventType.SuccessfulAcquire : RequestRateLimiterEventType.FailedAcquire, permits);
        return granted;
    }

    /// <summary>Takes <paramref name="permits"/>, blocking the thread (on a timer of the <see cref="TimeProvider"/>) until a reservation comes due.</summary>
    /// <param name="permits">The number of permits, at least 1; more than <see cref="LimitForPeriod"/> waits for several periods.</param>
    /// <exception cref="RequestNotPermittedException">The permits cannot be had within <see cref="TimeoutDuration"/>; the call fails at once, without waiting.</exception>
    public void AcquirePermission(int permits = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permits);
        switch (Reserve(permits, mayWait: true, out long waitTicks, out Ticket ticket))
        {
            case Grant.Refused:
                throw Refuse(permits, waitTicks);
            case Grant.Reserved:
                Interlocked.Increment(ref _waitingCallers);
                try
                {
                    do
                    {
                        Task.Delay(WholeMilliseconds(waitTicks), _timeProvider).GetAwaiter().GetResult();
                        waitTicks = RemainingTicks(ticket);
                    }
                    while (waitTicks > 0);
                }
                finally
                {
                    Interlocked.Decrement(ref _waitingCallers);
                }

                break;
        }

        Publish(RequestRateLimiterEventType.SuccessfulAcquire, permits);
    }

    /// <summary>Takes <paramref name="permits"/>, waiting asynchronously (on the <see cref="TimeProvider"/>) until a reservation comes due.</summary>
    /// <param name="permits">The number of permits, at least 1; more than <see cref="LimitForPeriod"/> waits for several periods.</param>
    /// <param name="cancellationToken">Cancels the wait; the reserved permits are then given back when no later reservation depends on them.</param>
    /// <returns>A task that completes when the permits are granted; it completes at once, without allocating, when they are available now.</returns>
    /// <exception cref="RequestNotPermittedException">The permits cannot be had within <see cref="TimeoutDuration"/> (the task fails at once).</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public ValueTask AcquirePermissionAsync(int permits = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permits);
        switch (Reserve(permits, mayWait: true, out long waitTicks, out Ticket ticket))
        {
            case Grant.Refused:
                return ValueTask.FromException(Refuse(permits, waitTicks));
            case Grant.Reserved:
                return WaitForReservationAsync(permits, waitTicks, ticket, cancellationToken);
            default:
                Publish(RequestRateLimiterEventType.SuccessfulAcquire, permits);
                return default;
        }
    }

    /// <summary>Reserves <paramref name="permits"/> without waiting, and tells the caller how long to wait before using them.</summary>
    /// <param name="permits">The number of permits, at least 1.</param>
    /// <returns>
    /// <see cref="TimeSpan.Zero"/> if the permits are available now; a positive wait if they were reserved for a later
    /// period (the caller waits that long itself); <see langword="null"/> if they cannot be had within
    /// <see cref="TimeoutDuration"/> (nothing is reserved).
    /// </returns>
    public TimeSpan? ReservePermission(int permits = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permits);
        bool refused = Reserve(permits, mayWait: true, out long waitTicks, out _) == Grant.Refused;
        Publish(refused ? RequestRateLimiterEventType.FailedAcquire : RequestRateLimiterEventType.SuccessfulAcquire, permits);
        return refused ? null : TimeSpan.FromTicks(waitTicks);
    }

    /// <summary>Takes every permit left in the current period; reservations of later periods are kept.</summary>
    /// <remarks>The permissions become min(permissions, 0). Publishes <see cref="RequestRateLimiterEventType.Drained"/> with the number of permits drained.</remarks>
    public void DrainPermissions()
    {
        while (true)
        {
            long word = Read(out _, out _, out long cycle, out long available);
            long next = Pack(cycle, word, Math.Min(available, 0));
            if (next == word || Interlocked.CompareExchange(ref _state.Value, next, word) == word)
            {
                Publish(RequestRateLimiterEventType.Drained, (int)Math.Max(available, 0));
                return;
            }
        }
    }

    /// <summary>Changes the number of permits per period. It takes effect at the next refill; the current period keeps its permissions.</summary>
    /// <param name="limitForPeriod">The new limit, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The limit is below 1.</exception>
    public void ChangeLimitForPeriod(int limitForPeriod)
    {
        RequestRateLimiterOptionsValidator.ValidateLimitForPeriod(limitForPeriod);
        ChangeConfig(limitForPeriod, null);
    }

    /// <summary>Changes how long callers may wait for a permit. It applies to acquires that start after the change.</summary>
    /// <param name="timeoutDuration">The new timeout, from zero to about 49.7 days.</param>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is out of range.</exception>
    public void ChangeTimeoutDuration(TimeSpan timeoutDuration)
    {
        RequestRateLimiterOptionsValidator.ValidateTimeoutDuration(timeoutDuration);
        ChangeConfig(null, timeoutDuration);
    }

    /// <summary>Returns a view of this limiter as a <see cref="System.Threading.RateLimiting.RateLimiter"/>, for ASP.NET Core and other consumers of that abstraction.</summary>
    /// <returns>The same view on every call. Disposing it does nothing: it does not own the limiter.</returns>
    /// <remarks>
    /// <c>AttemptAcquire</c> maps to <see cref="TryAcquirePermission"/> and <c>AcquireAsync</c> to
    /// <see cref="AcquirePermissionAsync"/>; leases are cached singletons, so acquiring allocates nothing. A failed
    /// lease carries <c>MetadataName.RetryAfter</c>. A permit count of zero asks whether a permit is available.
    /// </remarks>
    public System.Threading.RateLimiting.RateLimiter AsRateLimiter() =>
        Volatile.Read(ref _adapter) ?? Interlocked.CompareExchange(ref _adapter, new RateLimiterAdapter(this), null) ?? _adapter;

    private void ChangeConfig(int? limit, TimeSpan? timeout)
    {
        while (true)
        {
            LimiterConfig current = Volatile.Read(ref _config);
            var next = new LimiterConfig(limit ?? current.Limit, timeout ?? current.Timeout);
            if (Interlocked.CompareExchange(ref _config, next, current) == current)
            {
                break;
            }
        }

        // Advance the generation so that an acquire that read the old configuration fails its compare-and-swap.
        while (true)
        {
            long word = Volatile.Read(ref _state.Value);
            if (Interlocked.CompareExchange(ref _state.Value, NextGeneration(word), word) == word)
            {
                return;
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitForReservationAsync(int permits, long waitTicks, Ticket ticket, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waitingCallers);
        try
        {
            do
            {
                await Task.Delay(WholeMilliseconds(waitTicks), _timeProvider, cancellationToken).ConfigureAwait(false);
                waitTicks = RemainingTicks(ticket);
            }
            while (waitTicks > 0);
        }
        catch (OperationCanceledException)
        {
            ReturnPermits(ticket, permits);
            Publish(RequestRateLimiterEventType.FailedAcquire, permits);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _waitingCallers);
        }

        Publish(RequestRateLimiterEventType.SuccessfulAcquire, permits);
    }

    /// <summary>A wait rounded up to whole milliseconds: <see cref="Task.Delay(TimeSpan, TimeProvider)"/> truncates to them, and a wait that ends early only costs another round.</summary>
    private static TimeSpan WholeMilliseconds(long ticks) =>
        TimeSpan.FromTicks(ticks >= long.MaxValue - TimeSpan.TicksPerMillisecond ? ticks : (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond);

    private RequestNotPermittedException Refuse(int permits, long waitTicks)
    {
        Publish(RequestRateLimiterEventType.FailedAcquire, permits);
        return new RequestNotPermittedException(Name, waitTicks == long.MaxValue ? null : TimeSpan.FromTicks(waitTicks));
    }

    private void Publish(RequestRateLimiterEventType type, int permits)
    {
        if (Events.IsSubscribed(type))
        {
            Events.Publish(new RequestRateLimiterEvent
            {
                EventType = type,
                RateLimiterName = Name,
                CreationTime = _timeProvider.GetUtcNow(),
                NumberOfPermits = permits,
            });
        }
    }
}
