using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Handlers;

/// <summary>
/// Asks the breaker for a permit before each request and completes it with how the request ended: the response
/// (a failure when the breaker's failure rule, carried by its <see cref="CircuitBreakerOptions.RecordResultPredicate"/>,
/// says so) or the exception (by the breaker's record and ignore rules); the caller's cancellation gives the permit
/// back and records nothing.
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
        CircuitBreaker breaker = slot.Current.Select(request);
        CircuitBreakerPermit permit;
        try
        {
            permit = breaker.AcquirePermission();
        }
        catch (CallNotPermittedException ex)
        {
            Telemetry.OnBreakerRejected(Source, breaker, request);
            return Task.FromException<HttpResponseMessage>(ex);
        }

        Task<HttpResponseMessage> task = SendInnerAsync(request, cancellationToken);
        if (task.IsCompletedSuccessfully)
        {
            Telemetry.OnBreakerCall(Source, permit.RecordResult(task.Result));
            return task;
        }

        return AwaitAsync(task, permit, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        CircuitBreaker breaker = slot.Current.Select(request);
        CircuitBreakerPermit permit;
        try
        {
            permit = breaker.AcquirePermission();
        }
        catch (CallNotPermittedException)
        {
            Telemetry.OnBreakerRejected(Source, breaker, request);
            throw;
        }

        HttpResponseMessage response;
        try
        {
            response = SendInner(request, cancellationToken);
        }
        catch (Exception ex)
        {
            Telemetry.OnBreakerCall(Source, permit.RecordFailure(ex, cancellationToken));
            throw;
        }

        Telemetry.OnBreakerCall(Source, permit.RecordResult(response));
        return response;
    }

    private async Task<HttpResponseMessage> AwaitAsync(Task<HttpResponseMessage> task, CircuitBreakerPermit permit, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await task.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Telemetry.OnBreakerCall(Source, permit.RecordFailure(ex, cancellationToken));
            throw;
        }

        Telemetry.OnBreakerCall(Source, permit.RecordResult(response));
        return response;
    }
}
