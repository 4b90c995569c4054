using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Retry.RetryTestSupport;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Retry;

public class RetryEventsTests
{
    [Fact]
    public void Events_SuccessOnFirstAttempt_PublishesNothing()
    {
        RetryPrimitive retry = NoWait();
        List<RetryEvent> events = retry.Record();

        retry.Execute(() => 1);

        events.Should().BeEmpty();
    }

    [Fact]
    public void Events_RetriesThenSuccess_PublishesRetryPerWaitThenSuccess()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var retry = new RetryPrimitive("events", new RetryOptions { WaitDuration = TimeSpan.Zero }, time);
        List<RetryEvent> events = retry.Record();

        retry.Execute(FailThenReturn(2));

        events.Select(e => e.EventType).Should().Equal(RetryEventType.Retry, RetryEventType.Retry, RetryEventType.Success);
        events.Select(e => e.AttemptNumber).Should().Equal(1, 2, 3);
        events[0].Exception!.Message.Should().Be("attempt 1");
        events[1].Exception!.Message.Should().Be("attempt 2");
        events[2].Exception!.Message.Should().Be("attempt 2", "a success event carries the last retried exception");
        events.Should().OnlyContain(e => e.RetryName == "events" && e.CreationTime == time.GetUtcNow());
        events[0].ToString().Should().Be("2026-01-02T03:04:05.0000000+00:00: Retry 'events' will retry after attempt 1 in 0 ms: InvalidOperationException: attempt 1");
        events[2].ToString().Should().Be("2026-01-02T03:04:05.0000000+00:00: Retry 'events' succeeded on attempt 3");
    }

    [Fact]
    public void Events_Exhausted_PublishesErrorWithTheLastException()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 2);
        List<RetryEvent> events = retry.Record();

        FluentActions.Invoking(() => retry.Execute(FailThenReturn(5))).Should().Throw<InvalidOperationException>();

        events.Select(e => e.EventType).Should().Equal(RetryEventType.Retry, RetryEventType.Error);
        events[1].AttemptNumber.Should().Be(2);
        events[1].Exception!.Message.Should().Be("attempt 2");
        events[1].ToString().Should().EndWith("Retry 'test' gave up after attempt 2: InvalidOperationException: attempt 2");
    }

    [Fact]
    public void Events_NonRetryable_PublishesIgnoredErrorOnly()
    {
        RetryPrimitive retry = NoWait(configure: o => o.RetryExceptions.Add(typeof(TimeoutException)));
        List<RetryEvent> events = retry.Record();

        FluentActions.Invoking(() => retry.Execute(FailThenReturn(1))).Should().Throw<InvalidOperationException>();

        events.Should().ContainSingle().Which.EventType.Should().Be(RetryEventType.IgnoredError);
        events[0].AttemptNumber.Should().Be(1);
        events[0].ToString().Should().EndWith("did not retry attempt 1: InvalidOperationException: attempt 1");
    }

    [Fact]
    public void Events_ResultRetries_CarryTheBoxedResult()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 2, configure: o => o.RetryResultPredicate = r => (int)r! < 0);
        List<RetryEvent> events = retry.Record();

        retry.Execute(() => -7);

        events.Select(e => e.EventType).Should().Equal(RetryEventType.Retry, RetryEventType.Error);
        events.Should().OnlyContain(e => e.Exception == null && (int)e.Result! == -7);
        events[1].ToString().Should().EndWith("gave up after attempt 2: result -7");
    }

    [Fact]
    public void Events_RetryEvent_CarriesTheWait()
    {
        RetryPrimitive retry = NoWait(configure: o => o.IntervalFunction = _ => TimeSpan.Zero);
        var waits = new List<TimeSpan>();
        retry.Events.Retry += e => waits.Add(e.WaitDuration);
        retry.Events.Success += e => waits.Add(TimeSpan.MaxValue);

        retry.Execute(FailThenReturn(1));

        waits.Should().Equal(TimeSpan.Zero, TimeSpan.MaxValue);
    }

    [Fact]
    public void Events_TypedHandlers_SeeOnlyTheirType()
    {
        RetryPrimitive retry = NoWait(maxAttempts: 2);
        var seen = new List<string>();
        retry.Events.Retry += _ => seen.Add("retry");
        retry.Events.Error += _ => seen.Add("error");
        retry.Events.Success += _ => seen.Add("success");
        retry.Events.IgnoredError += _ => seen.Add("ignored");
        retry.Events.Any += e => seen.Add("any:" + e.EventType);

        FluentActions.Invoking(() => retry.Execute(FailThenReturn(5))).Should().Throw<InvalidOperationException>();
        retry.Execute(FailThenReturn(1));

        seen.Should().Equal("any:Retry", "retry", "any:Error", "error", "any:Retry", "retry", "any:Success", "success");
    }

    [Fact]
    public void Events_ThrowingHandler_BreaksNeitherTheRetryNorTheOtherHandlers()
    {
        RetryPrimitive retry = NoWait();
        int later = 0;
        retry.Events.Retry += _ => throw new InvalidOperationException("handler");
        retry.Events.Retry += _ => later++;

        retry.Execute(FailThenReturn(2)).Should().Be(42);

        later.Should().Be(2);
    }

    [Fact]
    public void Events_Unsubscribed_StopReceiving()
    {
        RetryPrimitive retry = NoWait();
        int count = 0;
        Action<RetryEvent> handler = _ => count++;
        retry.Events.Retry += handler;
        retry.Execute(FailThenReturn(1));
        retry.Events.Retry -= handler;

        retry.Execute(FailThenReturn(1));

        count.Should().Be(1);
    }

    [Theory]
    [InlineData(RetryEventType.Retry, "will retry after attempt 2 in 250 ms: result 503")]
    [InlineData(RetryEventType.Error, "gave up after attempt 2: result 503")]
    [InlineData(RetryEventType.Success, "succeeded on attempt 2")]
    [InlineData(RetryEventType.IgnoredError, "did not retry attempt 2: result 503")]
    [InlineData((RetryEventType)99, "published 99")]
    public void ToString_EachEventTypeOfResult_DescribesEvent(RetryEventType type, string description)
    {
        var e = new RetryEvent { EventType = type, RetryName = "r", CreationTime = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero), AttemptNumber = 2, WaitDuration = TimeSpan.FromMilliseconds(250), Result = 503 };

        e.ToString().Should().Be("2030-05-06T07:08:09.0000000+00:00: Retry 'r' " + description);
    }
}
