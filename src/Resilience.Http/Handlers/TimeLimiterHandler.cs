using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Handlers;

/// <summary>
/// Bounds the time of everything inside it: one attempt (innermost in the standard composition) or the whole call
/// with its retries (outside the retry).
/// </summary>
/// <remarks>
/// <para>On timeout the inner request's token is cancelled (with <see cref="TimeLimiterOptions.CancelRunningTask"/>,
/// the default), which aborts the exchange on the socket, and the caller gets a
/// <see cref="TimeLimiterTimeoutException"/>, which the breaker and the retry count as a failure. A response that arrives after the timeout is disposed. The caller's cancellation propagates at
/// once as an <see cref="OperationCanceledException"/> carrying the caller's token.</para>
/// <para>The handler drives Core's public <see cref="TimeLimiterScope"/>: the race, the time-out and its event are the
/// limiter's; the handler adds the telemetry and the disposal of a late response.</para>
/// <para>The synchronous <see cref="HttpClient.Send(HttpRequestMessage)"/> path is bounded by cancelling the token the
/// inner handler receives; it needs <see cref="TimeLimiterOptions.CancelRunningTask"/>.</para>
/// <para><b>The body.</b> The handler finishes when the headers arrive. The total time limit of the standard composition
/// (<paramref name="boundsBody"/>), which owns the client's time-out, goes on bounding the body: a response whose body
/// may still wait on the network, and that the attempts did not buffer, gets a <see cref="DeadlineContent"/> whose
/// reads end at the same deadline, measured from the start of the call.</para>
/// </remarks>
/// <param name="slot">The time limiter, reloadable.</param>
/// <param name="registrationKey">The key that makes a second registration a no-op.</param>
/// <param name="source">The client and instance this handler reports as.</param>
/// <param name="telemetry">The telemetry hooks.</param>
/// <param name="timeProvider">The clock of the limiter, which measures the body's deadline.</param>
/// <param name="boundsBody">Whether the limit also bounds reading the response body.</param>
/// <param name="attemptBuffers">Whether a <see cref="ResponseBufferingHandler"/> inside buffers the bodies that <see cref="ResponseBody"/> says it does.</param>
internal sealed class TimeLimiterHandler(
    ReloadableSlot<TimeLimiterOptions, TimeLimiter> slot,
    string registrationKey,
    TelemetrySource source,
    HttpResilienceTelemetry telemetry,
    TimeProvider timeProvider,
    bool boundsBody = false,
    bool attemptBuffers = false)
    : ResilienceHandler(registrationKey, source, telemetry)
{
    /// <summary>Gets the clock of the limiter.</summary>
    internal TimeProvider TimeProvider => timeProvider;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<HttpResponseMessage>(cancellationToken);
        }

        TimeLimiter limiter = slot.Current;
        long started = boundsBody ? timeProvider.GetTimestamp() : 0;
        TimeLimiterScope scope = limiter.BeginScope(cancellationToken);
        Task<HttpResponseMessage> task = SendInnerAsync(request, scope.Token);

        // A task that already completed is decided at once: its success returns the inner task itself.
        ValueTask<HttpResponseMessage> raced = scope.WaitAsync(new ValueTask<HttpResponseMessage>(task));
        if (!raced.IsCompleted)
        {
            return AwaitAsync(limiter, raced, task, request, started, cancellationToken);
        }

        Task<HttpResponseMessage> done = raced.AsTask();
        if (done.IsCompletedSuccessfully)
        {
            BoundBody(done.Result, request, limiter, started);
        }

        return done;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TimeLimiter limiter = slot.Current;
        long started = boundsBody ? timeProvider.GetTimestamp() : 0;
        TimeLimiterScope scope = limiter.BeginScope(cancellationToken);
        scope.StartTimeout();
        HttpResponseMessage response;
        try
        {
            response = SendInner(request, scope.Token);
        }
        catch (Exception ex)
        {
            Exception error = scope.RecordFailure(ex);
            if (error is TimeLimiterTimeoutException)
            {
                Telemetry.OnTimeout(Source, request, limiter.TimeoutDuration);
            }

            if (ReferenceEquals(error, ex))
            {
                throw;
            }

            throw error;
        }

        scope.RecordSuccess();
        BoundBody(response, request, limiter, started);
        return response;
    }

    /// <summary>Reports a body that ran out of the limit, and returns the exception its reader gets.</summary>
    internal TimeLimiterTimeoutException OnBodyTimedOut(HttpRequestMessage request, TimeLimiter limiter, Exception? exception)
    {
        Telemetry.OnTimeout(Source, request, limiter.TimeoutDuration);
        return new TimeLimiterTimeoutException(limiter.Name, limiter.TimeoutDuration, exception);
    }

    /// <summary>Has the rest of the limit bound the body of <paramref name="response"/>, when this handler bounds bodies and the body may stall.</summary>
    private void BoundBody(HttpResponseMessage response, HttpRequestMessage request, TimeLimiter limiter, long started)
    {
        if (boundsBody && limiter.TimeoutDuration != Timeout.InfiniteTimeSpan && ResponseBody.NeedsDeadline(request, response, attemptBuffers))
        {
            response.Content = new DeadlineContent(response.Content, this, limiter, request, started);
        }
    }

    private async Task<HttpResponseMessage> AwaitAsync(TimeLimiter limiter, ValueTask<HttpResponseMessage> raced, Task<HttpResponseMessage> task, HttpRequestMessage request, long started, CancellationToken cancellationToken)
    {
        try
        {
            HttpResponseMessage response = await raced.ConfigureAwait(false);
            BoundBody(response, request, limiter, started);
            return response;
        }
        catch (TimeLimiterTimeoutException)
        {
            DisposeLateResponse(task);
            Telemetry.OnTimeout(Source, request, limiter.TimeoutDuration);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            DisposeLateResponse(task);
            throw;
        }
    }

    /// <summary>A response that arrives after the caller was released is disposed, so its connection is freed.</summary>
    private static void DisposeLateResponse(Task<HttpResponseMessage> task) =>
        _ = task.ContinueWith(
            static t => t.Result.Dispose(),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
