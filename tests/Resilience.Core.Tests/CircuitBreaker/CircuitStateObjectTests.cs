using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.CircuitBreaker;

/// <summary>A state's timer: a state that was already left disposes a timer attached to it late.</summary>
public class CircuitStateObjectTests
{
    [Fact]
    public void AttachTimer_AfterRetire_DisposesTheTimer()
    {
        CircuitStateObject state = NewOpenState();
        var timer = new CountingTimer();

        state.Retire();
        state.AttachTimer(timer);

        timer.Disposals.Should().Be(1, "the state was left before its timer was attached: nothing would ever cancel it");
    }

    [Fact]
    public void Retire_AfterAttachTimer_DisposesTheTimerOnce()
    {
        CircuitStateObject state = NewOpenState();
        var timer = new CountingTimer();

        state.AttachTimer(timer);
        timer.Disposals.Should().Be(0);
        state.Retire();
        state.Retire();

        timer.Disposals.Should().Be(1);
    }

    [Fact]
    public void AttachTimer_Twice_KeepsTheFirstAndDisposesTheSecond()
    {
        CircuitStateObject state = NewOpenState();
        var first = new CountingTimer();
        var second = new CountingTimer();

        state.AttachTimer(first);
        state.AttachTimer(second);
        state.Retire();

        first.Disposals.Should().Be(1);
        second.Disposals.Should().Be(1);
    }

    private static CircuitStateObject NewOpenState() =>
        new(new Breaker("state", new CircuitBreakerOptions()), CircuitBreakerState.Open, attempts: 1, BreakerMetrics.Empty());

    private sealed class CountingTimer : ITimer
    {
        public int Disposals { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose() => Disposals++;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
