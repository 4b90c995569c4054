using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.RateLimiter.RateLimiterTestSupport;

namespace Resilience.Tests.RateLimiter;

public class RequestRateLimiterExecuteTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Execute_AllOverloads_RunTheCallAndTakeOnePermitEach()
    {
        RequestRateLimiter limiter = Create(_time);
        int runs = 0;

        limiter.Execute(() => runs++);
        limiter.Execute(s => runs += s, 1);
        limiter.Execute(() => ++runs).Should().Be(3);
        limiter.Execute(static s => s * 2, 21).Should().Be(42);

        runs.Should().Be(3);
        limiter.Available().Should().Be(6);
    }

    [Fact]
    public async Task ExecuteAsync_TokenAlreadyCancelled_IsCancelledWithoutPermitOrEvent()
    {
        RequestRateLimiter limiter = Create(_time);
        var events = new List<RequestRateLimiterEvent>();
        limiter.Events.Any += events.Add;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        bool ran = false;

        ValueTask<int> call = limiter.ExecuteAsync((_, _) => { ran = true; return new ValueTask<int>(1); }, 0, cts.Token);

        call.IsCanceled.Should().BeTrue();
        ran.Should().BeFalse();
        limiter.Available().Should().Be(10, "no permit was taken");
        events.Should().BeEmpty();
    }

    [Fact]
    public void Execute_Refused_ThrowsWithoutRunning()
    {
        RequestRateLimiter limiter = Create(_time, timeout: TimeSpan.Zero);
        limiter.Exhaust();
        bool ran = false;

        limiter.Invoking(l => l.Execute(() => ran = true)).Should().Throw<RequestNotPermittedException>();

        ran.Should().BeFalse();
    }

    [Fact]
    public void Execute_Throws_PropagatesAndKeepsThePermitSpent()
    {
        RequestRateLimiter limiter = Create(_time);

        limiter.Invoking(l => l.Execute(() => throw new InvalidOperationException("boom"))).Should().Throw<InvalidOperationException>();

        limiter.Available().Should().Be(9);
    }

    [Fact]
    public async Task ExecuteAsync_ValueTaskOverloads_CompleteSynchronouslyWhenAPermitIsAvailable()
    {
        RequestRateLimiter limiter = Create(_time);

        ValueTask<int> withState = limiter.ExecuteAsync(static (s, _) => new ValueTask<int>(s + 1), 41);
        ValueTask plain = limiter.ExecuteAsync(static _ => ValueTask.CompletedTask);
        ValueTask<int> result = limiter.ExecuteAsync(static _ => new ValueTask<int>(7));
        ValueTask voidWithState = limiter.ExecuteAsync(static (_, _) => ValueTask.CompletedTask, 0);

        withState.IsCompletedSuccessfully.Should().BeTrue();
        plain.IsCompletedSuccessfully.Should().BeTrue();
        voidWithState.IsCompletedSuccessfully.Should().BeTrue();
        (await withState).Should().Be(42);
        (await result).Should().Be(7);
        limiter.Available().Should().Be(6);
    }

    [Fact]
    public async Task ExecuteAsync_Reserved_RunsAfterTheWait()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();
        bool ran = false;

        ValueTask<int> call = limiter.ExecuteAsync(async ct => { ran = true; await Task.Yield(); return 5; });

        ran.Should().BeFalse();
        _time.Advance(Period);
        (await call).Should().Be(5);
        ran.Should().BeTrue();
    }

    [Fact]
    public async Task ExecuteAsync_Refused_FaultsAtOnceWithoutRunning()
    {
        RequestRateLimiter limiter = Create(_time, timeout: TimeSpan.Zero);
        limiter.Exhaust();
        bool ran = false;

        ValueTask call = limiter.ExecuteAsync(_ => { ran = true; return ValueTask.CompletedTask; });
        Task<int> taskCall = limiter.ExecuteAsync(_ => { ran = true; return Task.FromResult(1); });

        call.IsFaulted.Should().BeTrue();
        taskCall.IsFaulted.Should().BeTrue();
        await call.Invoking(async c => await c).Should().ThrowAsync<RequestNotPermittedException>();
        ran.Should().BeFalse();
    }

    [Fact]
    public async Task ExecuteAsync_TaskOverloads_RunAndReturnTheResult()
    {
        RequestRateLimiter limiter = Create(_time);
        int runs = 0;

        (await limiter.ExecuteAsync(_ => Task.FromResult(3))).Should().Be(3);
        (await limiter.ExecuteAsync(static (s, _) => new ValueTask<int>(Task.FromResult(s)), 4)).Should().Be(4);
        await limiter.ExecuteAsync(_ => { runs++; return Task.CompletedTask; });
        await limiter.ExecuteAsync((s, _) => { runs += s; return new ValueTask(Task.CompletedTask); }, 2);

        runs.Should().Be(3);
        limiter.Available().Should().Be(6);
    }

    [Fact]
    public async Task ExecuteAsync_TaskOverload_Reserved_RunsAfterTheWait()
    {
        RequestRateLimiter limiter = Create(_time);
        limiter.Exhaust();

        Task call = limiter.ExecuteAsync(_ => Task.CompletedTask);

        call.IsCompleted.Should().BeFalse();
        _time.Advance(Period);
        await call;
    }

    [Fact]
    public async Task ExecuteAsync_SynchronousThrow_IsReturnedAsAFaultedTask()
    {
        RequestRateLimiter limiter = Create(_time);

        ValueTask call = limiter.ExecuteAsync(_ => throw new InvalidOperationException("sync"));

        await call.Invoking(async c => await c).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task DrainPermissionsOnResult_MatchingResultOrException_Drains()
    {
        RequestRateLimiter limiter = Create(_time, drain: static (result, ex) => result is 429 || ex is TimeoutException);

        limiter.Execute(() => 200).Should().Be(200);
        limiter.Available().Should().Be(9);
        limiter.Execute(() => 429);
        limiter.Available().Should().Be(0);

        _time.Advance(Period);
        Func<Task> call = async () => await limiter.ExecuteAsync(async _ => { await Task.Yield(); throw new TimeoutException(); });
        await call.Should().ThrowAsync<TimeoutException>();
        limiter.Available().Should().Be(0);
    }

    [Fact]
    public async Task DrainPermissionsOnResult_CallWithoutResult_ReceivesNull()
    {
        var seen = new List<object?>();
        RequestRateLimiter limiter = Create(_time, drain: (result, _) => { seen.Add(result); return false; });

        limiter.Execute(() => { });
        await limiter.ExecuteAsync(_ => ValueTask.CompletedTask);

        seen.Should().HaveCount(2).And.OnlyContain(r => r == null);
    }

    [Fact]
    public async Task DrainPermissionsOnResult_SynchronousThrowOrAsynchronousResult_Drains()
    {
        RequestRateLimiter limiter = Create(_time, drain: static (result, ex) => result is 429 || ex is TimeoutException);

        Action call = () => limiter.Execute(static () => throw new TimeoutException());
        call.Should().Throw<TimeoutException>();
        limiter.Available().Should().Be(0);

        _time.Advance(Period);
        (await limiter.ExecuteAsync(async _ => { await Task.Yield(); return 200; })).Should().Be(200);
        limiter.Available().Should().Be(9);
        (await limiter.ExecuteAsync(async _ => { await Task.Yield(); return 429; })).Should().Be(429);
        limiter.Available().Should().Be(0);
    }
}
