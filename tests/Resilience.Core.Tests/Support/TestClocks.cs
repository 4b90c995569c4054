using Microsoft.Extensions.Time.Testing;

namespace Resilience.Tests.Support;

/// <summary>The fake clock, counting the timers created and not yet disposed.</summary>
internal sealed class CountingTimers(FakeTimeProvider inner) : TimeProvider
{
    private int _live;
    private int _created;

    /// <summary>Gets the number of timers created and not yet disposed.</summary>
    public int Live => Volatile.Read(ref _live);

    /// <summary>Gets the number of timers created.</summary>
    public int Created => Volatile.Read(ref _created);

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Counted once armed, so that a test that sees the count change and advances the clock finds the timer there.
        ITimer timer = inner.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _live);
        Interlocked.Increment(ref _created);
        return new Counted(this, timer);
    }

    private sealed class Counted(CountingTimers owner, ITimer timer) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref owner._live);
            }

            timer.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}

/// <summary>The fake clock, read through timestamps of another frequency (1 GHz, 3 MHz...); timers fire on the fake clock.</summary>
internal sealed class ScaledClock(FakeTimeProvider inner, long frequency) : TimeProvider
{
    public override long TimestampFrequency => frequency;

    public override long GetTimestamp() => (long)((Int128)inner.GetUtcNow().UtcTicks * frequency / TimeSpan.TicksPerSecond);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
