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
/// </remarks>
internal sealed class TimeLimiterHandler(
    ReloadableSlot<TimeLimiterOptions, TimeLimiter> slot,
    string registrationKey,
    TelemetrySource source,
    HttpResilienceTelemetry telemetry)
    : ResilienceHandler(registrationKey, source, telemetry)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<HttpResponseMessage>(cancellationToken);
        }

        TimeLimiter limiter = slot.Current;
        TimeLimiterScope scope = limiter.BeginScope(cancellationToken);
        Task<HttpResponseMessage> task = SendInnerAsync(request, scope.Token);

        // A task that already completed is decided at once: its success returns the inner task itself.
        ValueTask<HttpResponseMessage> raced = scope.WaitAsync(new ValueTask<HttpResponseMessage>(task));
        return raced.IsCompleted ? raced.AsTask() : AwaitAsync(limiter, raced, task, request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TimeLimiter limiter = slot.Current;
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
        return response;
    }

    private async Task<HttpResponseMessage> AwaitAsync(TimeLimiter limiter, ValueTask<HttpResponseMessage> raced, Task<HttpResponseMessage> task, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await raced.ConfigureAwait(false);
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
