using System.Runtime.CompilerServices;
using Limiter = Resilience.TimeLimiter;

namespace Resilience.Tests.TimeLimiter;

/// <summary>
/// Limiters on the system timer with the default options share their idle scopes through a per-thread slot: a call
/// of one limiter may run on a scope another limiter's call released. Each call still belongs to its own limiter.
/// They run alone: the pool behind the slots is process-wide, and a test class calling limiters on other threads at
/// the same time can take the scope a test here counts on.
/// </summary>
[Collection(Stress.StressTestGroup.Name)]
public class TimeLimiterScopeSharingTests
{
    private static Limiter Create(string name, TimeSpan timeout) =>
        new(name, new TimeLimiterOptions { TimeoutDuration = timeout });

    [Fact]
    public async Task ExecuteAsync_AfterAnotherLimitersCallOnTheSameThread_TimesOutAsItsOwnLimiter()
    {
        Limiter first = Create("first", TimeSpan.FromMinutes(5));
        Limiter second = Create("second", TimeSpan.FromMilliseconds(20));
        var firstEvents = new List<TimeLimiterEventType>();
        var secondEvents = new List<TimeLimiterEventType>();
        first.Events.Any += e => { lock (firstEvents) { firstEvents.Add(e.EventType); } };
        second.Events.Any += e => { lock (secondEvents) { secondEvents.Add(e.EventType); } };

        int value = await first.ExecuteAsync(static (s, _) => ValueTask.FromResult(s), 1, CancellationToken.None);
        ValueTask<int> pending = second.ExecuteAsync(
            static async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return 0; }, 0, CancellationToken.None);

        value.Should().Be(1);
        (await FluentActions.Awaiting(() => pending.AsTask()).Should().ThrowAsync<TimeLimiterTimeoutException>())
            .Which.InstanceName.Should().Be("second");
        lock (firstEvents) { firstEvents.Should().Equal(TimeLimiterEventType.Success); }
        lock (secondEvents) { secondEvents.Should().Equal(TimeLimiterEventType.Timeout); }
    }

    [Fact]
    public async Task ExecuteAsync_ManyLimitersInTurnOnOneThread_EachCallSeesAFreshTokenAndSucceeds()
    {
        Limiter[] limiters = [.. Enumerable.Range(0, 4).Select(i => Create("l" + i, TimeSpan.FromMinutes(5)))];
        var successes = new int[limiters.Length];
        for (int i = 0; i < limiters.Length; i++)
        {
            int index = i;
            limiters[i].Events.Success += _ => Interlocked.Increment(ref successes[index]);
        }

        for (int round = 0; round < 100; round++)
        {
            Limiter limiter = limiters[round % limiters.Length];
            bool cancelled = await limiter.ExecuteAsync(static (_, ct) => ValueTask.FromResult(ct.IsCancellationRequested), 0, CancellationToken.None);
            cancelled.Should().BeFalse();
        }

        successes.Should().Equal(25, 25, 25, 25);
    }

    [Fact]
    public void StartTimeout_SystemTimerAndNoRace_CancelsTheOperationsToken()
    {
        // A call that blocks the caller's thread starts the timeout itself and is bounded only through the token: the
        // timer's own source must reach it with no race attached.
        Limiter limiter = Create("blocking", TimeSpan.FromMilliseconds(20));
        TimeLimiterScope scope = limiter.BeginScope();
        scope.StartTimeout();

        scope.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(30)).Should().BeTrue("the timeout cancels the operation's token");
        scope.RecordFailure(new OperationCanceledException(scope.Token)).Should().BeOfType<TimeLimiterTimeoutException>();
    }

    [Fact]
    public async Task ExecuteAsync_AfterACallThatArmedTheTimer_SynchronousCallsSucceedAndTheNextTimeoutStillFires()
    {
        // A scope's timer source is reset only after a call that armed it; the calls in between leave it alone.
        Limiter limiter = Create("rearmed", TimeSpan.FromMilliseconds(50));
        (await limiter.ExecuteAsync(static async (s, _) => { await Task.Yield(); return s; }, 1, CancellationToken.None)).Should().Be(1);
        for (int i = 0; i < 10; i++)
        {
            Completed(limiter.ExecuteAsync(static (s, ct) => ValueTask.FromResult(ct.IsCancellationRequested ? -1 : s), 2, CancellationToken.None)).Should().Be(2);
        }

        await FluentActions.Awaiting(() => limiter.ExecuteAsync(static async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return 0; }, 0, CancellationToken.None).AsTask())
            .Should().ThrowAsync<TimeLimiterTimeoutException>();
    }

    [Fact]
    public async Task ExecuteAsync_SystemTimerWithoutCancelRunningTask_ReleasesTheCallerAndLeavesTheTokenAlone()
    {
        var limiter = new Limiter("keep-running", new TimeLimiterOptions { TimeoutDuration = TimeSpan.FromMilliseconds(20), CancelRunningTask = false });
        var operation = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken seen = default;
        ValueTask<int> call = limiter.ExecuteAsync((_, ct) => { seen = ct; return new ValueTask<int>(operation.Task); }, 0, CancellationToken.None);

        await FluentActions.Awaiting(() => call.AsTask()).Should().ThrowAsync<TimeLimiterTimeoutException>();
        seen.IsCancellationRequested.Should().BeFalse("the running operation is not cancelled");
        operation.SetResult(1);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ExecuteAsync_NestedLimitersOnOneThread_AllocateNothingOnceWarm(int depth)
    {
        // Nested limiters release their scopes innermost first, so a scope often returns through another limiter than
        // the one that took it; scopes must not drift away from a limiter that then allocates one per call.
        Limiter[] limiters = [.. Enumerable.Range(0, depth).Select(i => Create("nested" + i, TimeSpan.FromMinutes(5)))];
        for (int i = 0; i < 100; i++)
        {
            Completed(Nest(limiters, 0)).Should().Be(depth);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            _ = Completed(Nest(limiters, 0));
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void ExecuteAsync_CompletedCall_IdleScopeKeepsNoLimiterAlive()
    {
        WeakReference limiter = RunOneCall();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        limiter.IsAlive.Should().BeFalse("the thread's idle scope forgets the limiter of the call that released it");
    }

    /// <summary>The result of a call that completed synchronously.</summary>
    private static int Completed(ValueTask<int> call) =>
        call.IsCompletedSuccessfully ? call.Result : throw new InvalidOperationException("The call did not complete synchronously.");

    /// <summary>Runs a synchronously completing call through <paramref name="limiters"/>, each inside the previous one.</summary>
    private static ValueTask<int> Nest(Limiter[] limiters, int index) =>
        index == limiters.Length
            ? ValueTask.FromResult(index)
            : limiters[index].ExecuteAsync(static (s, _) => Nest(s.Limiters, s.Index + 1), (Limiters: limiters, Index: index), CancellationToken.None);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference RunOneCall()
    {
        Limiter limiter = Create("collected", TimeSpan.FromMinutes(5));
        Task<int> call = limiter.ExecuteAsync(static (s, _) => ValueTask.FromResult(s), 7, CancellationToken.None).AsTask();
        call.IsCompletedSuccessfully.Should().BeTrue("the operation completed synchronously, so its scope was released on this thread");
        call.Result.Should().Be(7);
        return new WeakReference(limiter);
    }
}
