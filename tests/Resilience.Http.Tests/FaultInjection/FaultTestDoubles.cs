using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Resilience.Http.Tests.FaultInjection;

/// <summary>The innermost handler: answers 200 and counts the requests that reach it.</summary>
internal sealed class CountingHandler : HttpMessageHandler
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));
}

/// <summary>A random source that returns the given draws in order and counts them.</summary>
internal sealed class SequenceRandom(params double[] draws)
{
    public int Draws { get; private set; }

    public double Next() => draws[Draws++];
}

/// <summary>A <see cref="FakeTimeProvider"/> that reports when a timer with a given due time is created.</summary>
/// <remarks>Lets a test advance time only once the code under test has armed its timer, without sleeping or polling.</remarks>
internal sealed class TimerSignalingTimeProvider(TimeSpan awaitedDueTime) : FakeTimeProvider
{
    private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a timer due after the awaited time has been created (times out after 10 s so a broken test fails).</summary>
    public Task TimerCreated => _created.Task.WaitAsync(TimeSpan.FromSeconds(10));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime == awaitedDueTime)
        {
            _created.TrySetResult();
        }

        return timer;
    }
}
