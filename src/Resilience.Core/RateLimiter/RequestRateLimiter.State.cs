using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Resilience;

public sealed partial class RequestRateLimiter
{
    // The state word: [63..35] active cycle modulo 2^29 | [34..32] configuration generation modulo 8 | [31..0] active permissions (int).
    private const int CycleShift = 35;
    private const int GenerationShift = 32;
    private const long GenerationMask = 7L << GenerationShift;
    private const long CycleMask = (1L << 29) - 1;

    /// <summary>A reader whose cycle is this far past <see cref="_rebaseCycle"/> rebases before it reads the word.</summary>
    internal const long RebaseThreshold = 1L << 28;

    private enum Grant
    {
        Now,
        Reserved,
        Refused,
    }

    /// <summary>The state just after a reservation; lets a cancelled waiter give its permits back, and a waiter that wakes check that its cycle has begun.</summary>
    /// <param name="Cycle">The active cycle when the permits were reserved.</param>
    /// <param name="PermissionsAfter">The permissions left after the reservation.</param>
    /// <param name="Config">The configuration the reservation was made under.</param>
    /// <param name="DueUnits">The start, in clock units, of the cycle that holds the last reserved permit; zero when granted now.</param>
    private readonly record struct Ticket(long Cycle, int PermissionsAfter, LimiterConfig Config, long DueUnits);

    /// <summary>Grants, reserves or refuses <paramref name="permits"/>; the one place permits are taken.</summary>
    /// <param name="permits">The number of permits, at least 1.</param>
    /// <param name="mayWait">Whether the caller may wait up to the timeout; if not, only permits available now are taken.</param>
    /// <param name="waitTicks">The wait for the permits in ticks: zero, the reserved wait, or the wait that was refused.</param>
    /// <param name="ticket">The reservation, to give the permits back.</param>
    private Grant Reserve(int permits, bool mayWait, out long waitTicks, out Ticket ticket)
    {
        while (true)
        {
            long word = Read(out LimiterConfig config, out long units, out long cycle, out long available);
            long after = available - permits;
            waitTicks = 0;
            long dueUnits = 0;
            if (available < permits)
            {
                dueUnits = DueUnits(permits - available, config.Limit, cycle);
                waitTicks = TicksUntil(dueUnits, units);
                if (!mayWait || waitTicks > config.TimeoutTicks || after < int.MinValue)
                {
                    // Refused at once, and nothing is written: the state is unchanged by a refusal.
                    ticket = default;
                    return Grant.Refused;
                }
            }

            long next = Pack(cycle, word, after);
            if (Interlocked.CompareExchange(ref _state.Value, next, word) == word)
            {
                Debug.Assert(after <= Math.Max(config.Limit, (int)word) - permits, "never more than one period's worth is granted");
                ticket = new Ticket(cycle, (int)after, config, dueUnits);
                return waitTicks == 0 ? Grant.Now : Grant.Reserved;
            }
        }
    }

    /// <summary>Reads the word and the configuration, and refills the permissions up to the current cycle (without writing).</summary>
    /// <returns>The word read; the refilled permissions are in <paramref name="permissions"/>.</returns>
    private long Read(out LimiterConfig config, out long units, out long cycle, out long permissions)
    {
        while (true)
        {
            // Order matters: the rebase cycle, then the word, then the configuration, then the time.
            long rebase = Volatile.Read(ref _rebaseCycle);
            long word = Volatile.Read(ref _state.Value);
            config = Volatile.Read(ref _config);
            units = ElapsedUnits();
            cycle = CycleOf(units);
            if (cycle - rebase >= RebaseThreshold)
            {
                Rebase();
                continue;
            }

            long active = ActiveCycle(word, rebase);
            Debug.Assert(active - rebase < RebaseThreshold, "the active cycle is within the rebase window");
            cycle = Math.Max(cycle, active); // A clock that went back stays in the active cycle: cycles never decrease.
            permissions = Refill((int)word, cycle - active, config.Limit);
            return word;
        }
    }

    /// <summary>Moves <see cref="_rebaseCycle"/> to the current cycle, so that the 29-bit cycle field stays unambiguous.</summary>
    /// <remarks>Runs once every 2^28 cycles (about 27 s at a 100 ns period, 134 s at the default 500 ns).</remarks>
    private void Rebase()
    {
        lock (_rebaseLock)
        {
            RebaseUnsynchronized();
        }
    }

    private void RebaseUnsynchronized()
    {
        long rebase = Volatile.Read(ref _rebaseCycle);
        while (true)
        {
            long word = Volatile.Read(ref _state.Value);
            LimiterConfig config = Volatile.Read(ref _config);
            long cycle = CycleOf(ElapsedUnits());
            if (cycle - rebase < RebaseThreshold)
            {
                return; // Another thread rebased while this one waited for the lock.
            }

            long active = ActiveCycle(word, rebase);
            long next = Pack(cycle, word, Refill((int)word, cycle - active, config.Limit));
            if (Interlocked.CompareExchange(ref _state.Value, next, word) == word)
            {
                Volatile.Write(ref _rebaseCycle, cycle);
                return;
            }
        }
    }

    /// <summary>Gives back the permits of a cancelled reservation, if no later reservation or drain depends on them.</summary>
    private void ReturnPermits(in Ticket ticket, int permits)
    {
        while (true)
        {
            long word = Read(out LimiterConfig config, out _, out long cycle, out long available);
            long active = ActiveCycle(word, Volatile.Read(ref _rebaseCycle));
            long sinceReservation = active - ticket.Cycle;
            if (!ReferenceEquals(config, ticket.Config) || sinceReservation < 0 || sinceReservation > int.MaxValue)
            {
                return; // The configuration changed (refills used another limit), or the state is too old to compare.
            }

            // With the limit L unchanged, the state (cycle c, permissions p) is the permit slot (c + 1) * L - p of an
            // endless sequence; refills never move a slot that lies in the future. An unchanged slot means that
            // nobody took permits after this reservation, so its permits are the last ones and can be given back.
            long slotDifference = (sinceReservation * config.Limit) - (int)word + ticket.PermissionsAfter;
            if (slotDifference != 0)
            {
                return;
            }

            long next = Pack(cycle, word, Math.Min(available + permits, config.Limit));
            if (Interlocked.CompareExchange(ref _state.Value, next, word) == word)
            {
                return;
            }
        }
    }

    /// <summary>The cycle that <paramref name="units"/> falls in, <c>units / _periodUnits</c>, without dividing when it is the cycle last computed.</summary>
    /// <remarks>
    /// A lock-free cache of one value. Invariant: <see cref="_lastCycle"/> always holds a true quotient, the cycle of
    /// some time a thread read. A reader accepts it only if <c>c × period ≤ units &lt; (c + 1) × period</c>, which
    /// holds for exactly one <c>c</c>, the quotient itself, so the cache decides only whether the division runs, never
    /// the answer. <c>c × period</c> cannot overflow, because it is at most the units of the time it was computed for.
    /// Racing writers each publish a true quotient; whichever lands, the check stays exact.
    /// </remarks>
    private long CycleOf(long units)
    {
        Debug.Assert(units >= 0, "elapsed units are never negative");
        long cached = Volatile.Read(ref _lastCycle);
        if ((ulong)(units - (cached * _periodUnits)) < (ulong)_periodUnits)
        {
            Debug.Assert(cached == units / _periodUnits, "the cached cycle is accepted only when it is the quotient");
            return cached;
        }

        return DivideAndCache(units);
    }

    // Out of line, so that the check above is all that is inlined into every acquire.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long DivideAndCache(long units)
    {
        long cycle = units / _periodUnits;
        Volatile.Write(ref _lastCycle, cycle);
        return cycle;
    }

    private long ElapsedUnits()
    {
        if (_coarseUnitsPerMillisecond != 0)
        {
            return Math.Max((Environment.TickCount64 - _coarseStart) * _coarseUnitsPerMillisecond, 0);
        }

        long now = _timeProvider.GetTimestamp();
        long units = _exactClock ? now - _start : _timeProvider.GetElapsedTime(_start, now).Ticks;
        return Math.Max(units, 0);
    }

    /// <summary>The wait, in ticks rounded up, until the period that holds the last of <paramref name="missing"/> more permits begins.</summary>
    private long WaitTicks(long missing, int limit, long cycle, long units) => TicksUntil(DueUnits(missing, limit, cycle), units);

    /// <summary>The start, in clock units, of the period that holds the last of <paramref name="missing"/> more permits.</summary>
    private long DueUnits(long missing, int limit, long cycle)
    {
        // Resilience4j: time to the next cycle + ceil((permits − (permissions + limit)) / limit) whole periods,
        // i.e. the start of cycle + ceil(missing / limit). Int128 because a huge wait can overflow 64 bits.
        long cycles = (missing + limit - 1) / limit;
        Int128 due = (Int128)(cycle + cycles) * _periodUnits;
        return due > long.MaxValue ? long.MaxValue : (long)due;
    }

    /// <summary>The wait in ticks, rounded up, from <paramref name="units"/> to <paramref name="dueUnits"/>; zero once it has passed.</summary>
    private long TicksUntil(long dueUnits, long units)
    {
        if (units >= dueUnits)
        {
            return 0;
        }

        Int128 ticks = ((Int128)dueUnits - units + _unitsPerTick - 1) / _unitsPerTick;
        return ticks > long.MaxValue ? long.MaxValue : (long)ticks;
    }

    /// <summary>
    /// The wait left before a reservation comes due, by the limiter's own clock. A timer may fire early (a coarse
    /// timer, a wait truncated to whole milliseconds): a waiter that wakes asks again and sleeps the rest, so that no
    /// permit is used before its period begins.
    /// </summary>
    private long RemainingTicks(in Ticket ticket) => TicksUntil(ticket.DueUnits, ElapsedUnits());

    private static long Refill(long permissions, long elapsedCycles, int limit) => elapsedCycles <= 0
        ? permissions
        : Math.Min(permissions + (Math.Min(elapsedCycles, int.MaxValue) * limit), limit);

    private static long ActiveCycle(long word, long rebase) => rebase + (((word >>> CycleShift) - rebase) & CycleMask);

    private static long Pack(long cycle, long word, long permissions)
    {
        Debug.Assert(permissions is >= int.MinValue and <= int.MaxValue, "permissions fit in 32 bits");
        return ((cycle & CycleMask) << CycleShift) | (word & GenerationMask) | (uint)(int)permissions;
    }

    private static long NextGeneration(long word) =>
        (word & ~GenerationMask) | ((word + (1L << GenerationShift)) & GenerationMask);

    /// <summary>The limit and timeout, swapped as one immutable object by the <c>Change</c> methods.</summary>
    private sealed class LimiterConfig(int limit, TimeSpan timeout)
    {
        public int Limit { get; } = limit;

        public TimeSpan Timeout { get; } = timeout;

        public long TimeoutTicks { get; } = timeout.Ticks;
    }
}
