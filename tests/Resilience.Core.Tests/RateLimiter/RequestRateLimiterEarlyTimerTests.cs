using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.RateLimiter.RateLimiterTestSupport;

namespace Resilience.Tests.RateLimiter;

/// <summary>A waiter whose timer fires before its period begins asks the limiter's clock again and waits the rest.</summary>
public class RequestRateLimiterEarlyTimerTests
{
    private readonly FakeTimeProvider _fake = new();
    private readonly EarlyTimers _time;

    public RequestRateLimiterEarlyTimerTests() => _time = new EarlyTimers(_fake, TimeSpan.FromMilliseconds(3));

    [Fact]
    public async Task AcquirePermissionAsync_TimerFiresEarly_CompletesOnlyWhenItsCycleStarts()
    {
        var limiter = new RequestRateLimiter("test", Options(limit: 1, period: TimeSpan.FromMilliseconds(100)), _time);
        limiter.TryAcquirePermission().Should().BeTrue();

        Task acquire = limiter.AcquirePermissionAsync().AsTask();
        acquire.IsCompleted.Should().BeFalse();

        _fake.Advance(TimeSpan.FromMilliseconds(97));
        SpinUntil(() => acquire.IsCompleted || _time.TimersCreated >= 2);
        acquire.IsCompleted.Should().BeFalse("the timer fired at 97 ms, but the permit belongs to the cycle that starts at 100 ms");
        limiter.GetMetrics().NumberOfWaitingCallers.Should().Be(1);

        await AdvanceUntilCompletedAsync(acquire);
        limiter.GetMetrics().Cycle.Should().Be(1);
        limiter.GetMetrics().NumberOfWaitingCallers.Should().Be(0);
    }

    [Fact]
    public async Task AcquirePermissionAsync_AcquiredInLastMillisecondOfCycle_NeverCompletesInThatCycle()
    {
        var limiter = new RequestRateLimiter("test", Options(limit: 1, period: TimeSpan.FromMilliseconds(100)), _time);
        _fake.Advance(TimeSpan.FromMilliseconds(99));
        limiter.TryAcquirePermission().Should().BeTrue();

        Task acquire = limiter.AcquirePermissionAsync().AsTask();
        _fake.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond - 1));
        SpinUntil(() => acquire.IsCompleted || _time.TimersCreated >= 2);

        acquire.IsCompleted.Should().BeFalse("cycle 0 ends at 100 ms and its only permit is taken");
        await AdvanceUntilCompletedAsync(acquire);
        limiter.GetMetrics().Cycle.Should().Be(1);
    }

    [Fact]
    public void AcquirePermission_TimerFiresEarly_ReturnsOnlyWhenItsCycleStarts()
    {
        var limiter = new RequestRateLimiter("test", Options(limit: 1, period: TimeSpan.FromMilliseconds(100)), _time);
        limiter.TryAcquirePermission().Should().BeTrue();
        long cycleAtReturn = -1;

        var caller = new Thread(() =>
        {
            limiter.AcquirePermission();
            Volatile.Write(ref cycleAtReturn, limiter.GetMetrics().Cycle);
        });
        caller.Start();
        SpinUntil(() => _time.TimersCreated >= 1);
        _fake.Advance(TimeSpan.FromMilliseconds(97));
        SpinUntil(() => _time.TimersCreated >= 2); // woke early, asked the clock, and waits the remaining 3 ms
        Volatile.Read(ref cycleAtReturn).Should().Be(-1);

        _fake.Advance(TimeSpan.FromMilliseconds(3));
        caller.Join(TimeSpan.FromSeconds(10)).Should().BeTrue();
        cycleAtReturn.Should().Be(1);
    }

    /// <summary>Moves the fake clock on 0.25 ms at a time, each step waiting until the waiter has either completed or armed its next timer.</summary>
    private async Task AdvanceUntilCompletedAsync(Task acquire)
    {
        for (int step = 0; step < 100 && !acquire.IsCompleted; step++)
        {
            int timers = _time.TimersCreated;
            bool due = _time.PendingDue <= _fake.GetUtcNow() + TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 4);
            _fake.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 4));
            if (due)
            {
                SpinUntil(() => acquire.IsCompleted || _time.TimersCreated > timers);
            }
        }

        await acquire.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The fake clock, with timers that fire up to <c>early</c> before they are due (at most half of their wait early).</summary>
    private sealed class EarlyTimers(FakeTimeProvider inner, TimeSpan early) : TimeProvider
    {
        private int _timersCreated;
        private long _pendingDueTicks = DateTimeOffset.MaxValue.UtcTicks;

        public int TimersCreated => Volatile.Read(ref _timersCreated);

        /// <summary>Gets when the newest timer fires.</summary>
        public DateTimeOffset PendingDue => new(Volatile.Read(ref _pendingDueTicks), TimeSpan.Zero);

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            // The count goes up only once the timer is armed: a waiter woken on another thread (the test thread's
            // synchronisation context sends its continuation to the pool) re-arms there, and the test advances the
            // clock again as soon as it sees the count change. Counted before arming, the timer could be armed after
            // that advance, due later than PendingDue says, and the test would wait for a timer that does not fire.
            TimeSpan sooner = dueTime > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(early.Ticks, dueTime.Ticks / 2)) : TimeSpan.Zero;
            DateTimeOffset now = inner.GetUtcNow();
            ITimer timer = inner.CreateTimer(callback, state, dueTime - sooner, period);
            Volatile.Write(ref _pendingDueTicks, (now + dueTime - sooner).UtcTicks);
            Interlocked.Increment(ref _timersCreated);
            return timer;
        }
    }
}
