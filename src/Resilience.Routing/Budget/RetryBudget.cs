using System.Diagnostics;

namespace Resilience.Routing.Internal;

/// <summary>
/// The retry budget of one destination service (Envoy's <c>retry_budget</c>): a retry may start while the retries in
/// flight are fewer than <c>max(MinRetryConcurrency, ⌊BudgetPercent / 100 × requests⌋)</c>.
/// </summary>
/// <remarks>
/// <para><b>Protocol.</b> The routing handler calls <see cref="RequestStarted"/> when a request enters it and
/// <see cref="RequestEnded"/> when it leaves (every attempt of the request included: a retry does not count as
/// another request, as in Envoy where the failed attempt has ended before its retry starts). Before each retry it calls
/// <see cref="TryStartRetry"/>; when that returns <see langword="true"/>, it calls <see cref="RetryEnded"/> once the
/// retry attempt ends. A refusal is counted and logged here, and tags the current Activity; the handler then ends the
/// request with a <see cref="RetryBudgetExhaustedException"/>.</para>
/// <para><b>Requests.</b> With <see cref="RetryBudgetOptions.Interval"/> 0, the requests in flight. Otherwise the
/// requests started in the last interval: the window is cut into <see cref="RetryBudgetConstants.WindowSlots"/> slots
/// of a tenth of it, each a 64-bit word holding its slot number (high half) and its count (low half), so a slot is
/// reused for a newer period and counted by one compare-exchange; the sum covers the current slot and the nine before.</para>
/// <para><b>Threads.</b> Lock-free and allocation-free. The retry count moves by compare-exchange against the bound
/// computed just before, so it never exceeds the bound of the moment the retry was admitted.</para>
/// </remarks>
internal sealed class RetryBudget
{
    private readonly string _service;
    private readonly double _percent;
    private readonly int _minimum;
    private readonly long _slotTicks;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly RetryBudgetTelemetry _telemetry;
    private readonly long[] _slots = new long[RetryBudgetConstants.WindowSlots];
    private long _active;
    private long _retries;

    public RetryBudget(string service, RetryBudgetOptions options, TimeProvider time, RetryBudgetTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(options);
        _service = service;
        _percent = options.BudgetPercent;
        _minimum = options.MinRetryConcurrency;
        _slotTicks = options.Interval.Ticks / RetryBudgetConstants.WindowSlots;
        Debug.Assert(options.Interval == TimeSpan.Zero || _slotTicks > 0, "A non-zero interval is validated to be at least a microsecond.");
        _time = time;
        _origin = time.GetTimestamp();
        _telemetry = telemetry;
    }

    /// <summary>Gets the requests in flight.</summary>
    public long ActiveRequests => Volatile.Read(ref _active);

    /// <summary>Gets the retries in flight.</summary>
    public long ActiveRetries => Volatile.Read(ref _retries);

    /// <summary>Gets how many retries may be in flight now.</summary>
    public long MaxRetries
    {
        get
        {
            long requests = _slotTicks == 0 ? Volatile.Read(ref _active) : RequestsInWindow(SlotNow());

            // Envoy's arithmetic, truncated: 20 % of 25 is 5, of 2 is 0 and the minimum of 3 applies.
            long byPercent = (long)(_percent / 100.0 * requests);
            return Math.Max(byPercent, _minimum);
        }
    }

    public void RequestStarted()
    {
        Interlocked.Increment(ref _active);
        if (_slotTicks != 0)
        {
            CountInWindow(SlotNow());
        }
    }

    public void RequestEnded()
    {
        long left = Interlocked.Decrement(ref _active);
        Debug.Assert(left >= 0, "Every RequestEnded follows a RequestStarted.");
    }

    /// <summary>Admits a retry if the budget has room; otherwise counts, logs and tags the refusal and returns <see langword="false"/>.</summary>
    public bool TryStartRetry()
    {
        long max = MaxRetries;
        long current = Volatile.Read(ref _retries);
        while (current < max)
        {
            long seen = Interlocked.CompareExchange(ref _retries, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        _telemetry.Exhausted(_service, current, max);
        return false;
    }

    public void RetryEnded()
    {
        long left = Interlocked.Decrement(ref _retries);
        Debug.Assert(left >= 0, "Every RetryEnded follows an admitted retry.");
    }

    private long SlotNow() => _time.GetElapsedTime(_origin).Ticks / _slotTicks;

    private void CountInWindow(long slot)
    {
        ref long word = ref _slots[(int)(slot % RetryBudgetConstants.WindowSlots)];
        long tag = (long)(uint)slot << 32;
        long current = Volatile.Read(ref word);
        while (true)
        {
            // The same period: one more request (the count saturates at 2^32 − 1 per slot). An older period: start anew.
            long next = (current & ~0xFFFF_FFFFL) == tag ? (current & 0xFFFF_FFFFL) == 0xFFFF_FFFFL ? current : current + 1 : tag | 1;
            long seen = Interlocked.CompareExchange(ref word, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private long RequestsInWindow(long slot)
    {
        uint now = (uint)slot;
        long sum = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            long word = Volatile.Read(ref _slots[i]);
            uint age = now - (uint)((ulong)word >> 32);
            if (age < RetryBudgetConstants.WindowSlots)
            {
                sum += word & 0xFFFF_FFFFL;
            }
        }

        return sum;
    }
}
