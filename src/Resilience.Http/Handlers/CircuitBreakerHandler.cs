using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Handlers;

/// <summary>
/// Asks the breaker before each request and records how it ended: a failure response (by the failure rule) or a
/// failure exception is a failure; the caller's cancellation gives the permit back and records nothing.
/// </summary>
/// <remarks>
/// A refused request throws <see cref="CallNotPermittedException"/> without reaching the inner handler. On the
/// synchronous-completion path the inner task is returned as it is, so the handler allocates nothing.
/// </remarks>
internal sealed class CircuitBreakerHandler(
    ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet> slot,
    string registrationKey,
    TelemetrySource source,
    HttpResilienceTelemetry telemetry)
    : ResilienceHandler(registrationKey, source, telemetry)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        BreakerSet set = slot.Current;
        CircuitBreaker breaker = set.Select(request);
        if (!breaker.TryAcquirePermission())
        {
            Telemetry.OnBreakerRejected(Source, breaker, request);
            return Task.FromException<HttpResponseMessage>(breaker.CreateNotPermittedException());
        }

        long start = breaker.GetCallTimestamp();
        Task<HttpResponseMessage> task = SendInnerAsync(request, cancellationToken);
        if (task.IsCompletedSuccessfully)
        {
            RecordResponse(set, breaker, start, task.Result);
            return task;
        }

        return AwaitAsync(task, set, breaker, start, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        BreakerSet set = slot.Current;
        CircuitBreaker breaker = set.Select(request);
        if (!breaker.TryAcquirePermission())
        {
            Telemetry.OnBreakerRejected(Source, breaker, request);
            throw breaker.CreateNotPermittedException();
        }

        long start = breaker.GetCallTimestamp();
        HttpResponseMessage response;
        try
        {
            response = SendInner(request, cancellationToken);
        }
        catch (Exception ex)
        {
            RecordException(breaker, start, ex, cancellationToken);
            throw;
        }

        RecordResponse(set, breaker, start, response);
        return response;
    }

    private async Task<HttpResponseMessage> AwaitAsync(Task<HttpResponseMessage> task, BreakerSet set, CircuitBreaker breaker, long start, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await task.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RecordException(breaker, start, ex, cancellationToken);
            throw;
        }

        RecordResponse(set, breaker, start, response);
        return response;
    }

    private void RecordResponse(BreakerSet set, CircuitBreaker breaker, long start, HttpResponseMessage response)
    {
        bool failed;
        try
        {
            failed = set.Rule.IsFailure(response);
        }
        catch
        {
            breaker.ReleasePermission(); // a throwing user predicate must not leak a half-open permit
            throw;
        }

        TimeSpan duration = breaker.RecordClassified(start, failed, response);
        Telemetry.OnBreakerCall(Source, breaker, failed ? BreakerCallOutcome.Failed : BreakerCallOutcome.Successful, duration);
    }

    private void RecordException(CircuitBreaker breaker, long start, Exception exception, CancellationToken cancellationToken)
    {
        if (IsCallerCancellation(exception, cancellationToken))
        {
            breaker.ReleasePermission();
            return;
        }

        BreakerCallOutcome outcome = breaker.RecordErrorSince(start, exception, out TimeSpan duration);
        Telemetry.OnBreakerCall(Source, breaker, outcome, duration);
    }
}
