using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.TimeLimiter.TimeLimiterTestSupport;
using Limiter = Resilience.TimeLimiter;

namespace Resilience.Tests.TimeLimiter;

public class TimeLimiterEventsTests
{
    private readonly FakeTimeProvider _time = NewClock();

    [Fact]
    public async Task Success_Subscribed_PublishesOnceWithFields()
    {
        Limiter limiter = Create(_time);
        var events = new List<TimeLimiterEvent>();
        limiter.Events.Success += events.Add;
        _time.Advance(TimeSpan.FromMinutes(2));

        await limiter.ExecuteAsync(static _ => new ValueTask<int>(1));

        TimeLimiterEvent e = events.Should().ContainSingle().Which;
        e.EventType.Should().Be(TimeLimiterEventType.Success);
        e.TimeLimiterName.Should().Be(Name);
        e.CreationTime.Should().Be(_time.GetUtcNow());
        e.Exception.Should().BeNull();
        e.ToString().Should().Contain("'tl'").And.Contain("successful");
    }

    [Fact]
    public async Task Timeout_Subscribed_PublishesOnceBeforeCallerResumes()
    {
        Limiter limiter = Create(_time);
        var events = new List<TimeLimiterEvent>();
        limiter.Events.Timeout += events.Add;
        ValueTask<int> call = limiter.ExecuteAsync(async ct => { await Task.Delay(System.Threading.Timeout.Infinite, ct); return 1; });

        _time.Advance(Limit);

        TimeLimiterEvent e = events.Should().ContainSingle().Which;
        e.EventType.Should().Be(TimeLimiterEventType.Timeout);
        e.CreationTime.Should().Be(_time.GetUtcNow());
        (await CaptureAsync(call)).Should().BeOfType<TimeLimiterTimeoutException>();
        events.Should().ContainSingle("the operation's own cancellation does not publish again");
    }

    [Fact]
    public async Task Error_OperationFails_PublishesWithException()
    {
        Limiter limiter = Create(_time);
        var events = new List<TimeLimiterEvent>();
        limiter.Events.Error += events.Add;
        var failure = new InvalidOperationException("boom");

        await CaptureAsync(limiter.ExecuteAsync<int>(_ => throw failure));

        TimeLimiterEvent e = events.Should().ContainSingle().Which;
        e.EventType.Should().Be(TimeLimiterEventType.Error);
        e.Exception.Should().BeSameAs(failure);
        e.ToString().Should().Contain("InvalidOperationException").And.Contain("boom");
    }

    [Fact]
    public async Task Any_MixedOutcomes_SeesEveryEventInOrder()
    {
        Limiter limiter = Create(_time);
        var types = new List<TimeLimiterEventType>();
        limiter.Events.Any += e => types.Add(e.EventType);

        await limiter.ExecuteAsync(static _ => ValueTask.CompletedTask);
        await CaptureAsync(limiter.ExecuteAsync(static _ => ValueTask.FromException(new InvalidOperationException())));
        ValueTask call = limiter.ExecuteAsync(static ct => new ValueTask(Task.Delay(System.Threading.Timeout.Infinite, ct)));
        _time.Advance(Limit);
        await CaptureAsync(call);

        types.Should().Equal(TimeLimiterEventType.Success, TimeLimiterEventType.Error, TimeLimiterEventType.Timeout);
    }

    [Fact]
    public async Task Handlers_Unsubscribed_ReceiveNothing()
    {
        Limiter limiter = Create(_time);
        int count = 0;
        void Handler(TimeLimiterEvent e) => count++;
        limiter.Events.Success += Handler;
        limiter.Events.Any += Handler;
        limiter.Events.Success -= Handler;
        limiter.Events.Any -= Handler;

        await limiter.ExecuteAsync(static _ => ValueTask.CompletedTask);

        count.Should().Be(0);
    }

    [Fact]
    public async Task Handler_Throws_CallIsUnaffectedAndOtherHandlersRun()
    {
        Limiter limiter = Create(_time);
        int reached = 0;
        limiter.Events.Success += _ => throw new InvalidOperationException("handler");
        limiter.Events.Success += _ => reached++;

        int result = await limiter.ExecuteAsync(static _ => new ValueTask<int>(9));

        result.Should().Be(9);
        reached.Should().Be(1);
    }

    [Theory]
    [InlineData(TimeLimiterEventType.Success, null, "recorded a successful call")]
    [InlineData(TimeLimiterEventType.Timeout, null, "recorded a timeout")]
    [InlineData(TimeLimiterEventType.Error, "boom", "recorded an error: InvalidOperationException: boom")]
    [InlineData(TimeLimiterEventType.Error, null, "recorded an error: : ")]
    [InlineData((TimeLimiterEventType)99, null, "published 99")]
    public void ToString_EachEventType_DescribesEvent(TimeLimiterEventType type, string? failure, string description)
    {
        var e = new TimeLimiterEvent
        {
            EventType = type,
            TimeLimiterName = "tl",
            CreationTime = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero),
            Exception = failure is null ? null : new InvalidOperationException(failure),
        };

        e.ToString().Should().Be("2030-05-06T07:08:09.0000000+00:00: Time limiter 'tl' " + description);
    }
}
