using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Http.Tests.Handlers;

/// <summary>
/// A signal that something the tests watch has changed (a call reached the stub, a response was made or disposed, a
/// timer was created), so that a test waits for another thread on a signal rather than by polling the clock.
/// </summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets a task that completes at the next change after this read.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Reports a change: completes the current <see cref="Next"/> and starts a new one.</summary>
    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits until <paramref name="condition"/> holds, checking it at each change; fails after 10 s.</summary>
    public async Task WaitUntilAsync(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            // Read the signal before the condition, so that a change in between is not missed.
            Task next = Next;
            if (condition())
            {
                return;
            }

            await next.WaitAsync(bound.Token);
        }
    }
}

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records the due time of each timer it creates or arms, and signals both: a
/// test advances the clock only once the timer it means to fire exists, since time moved before would never fire it.
/// </summary>
internal sealed class SignalingTimeProvider(ChangeSignal changes) : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();
    private readonly ConcurrentQueue<TimeSpan> _armedDueTimes = new();

    /// <summary>Gets the number of timers created so far with <paramref name="dueTime"/>.</summary>
    public int TimersCreated(TimeSpan dueTime) => _dueTimes.Count(d => d == dueTime);

    /// <summary>Gets the number of times a timer was created with, or changed to, <paramref name="dueTime"/>.</summary>
    public int TimersArmed(TimeSpan dueTime) => _dueTimes.Concat(_armedDueTimes).Count(d => d == dueTime);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Enqueue(dueTime);
        changes.Pulse();
        return new SignalingTimer(timer, this);
    }

    private void OnArmed(TimeSpan dueTime)
    {
        _armedDueTimes.Enqueue(dueTime);
        changes.Pulse();
    }

    /// <summary>A timer of this clock that records and signals each change of its due time.</summary>
    private sealed class SignalingTimer(ITimer inner, SignalingTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool changed = inner.Change(dueTime, period);
            clock.OnArmed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
