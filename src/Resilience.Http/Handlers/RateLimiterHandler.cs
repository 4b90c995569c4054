using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Handlers;

/// <summary>
/// Takes one permit of the rate limiter per request, waiting up to <see cref="RequestRateLimiterOptions.TimeoutDuration"/>
/// for it. A request that cannot have a permit in time throws <see cref="RequestNotPermittedException"/> at once,
/// without waiting and without reaching the inner handler.
/// </summary>
internal sealed class RateLimiterHandler(
    ReloadableSlot<RequestRateLimiterOptions, RequestRateLimiter> slot,
    string registrationKey,
    TelemetrySource source,
    HttpResilienceTelemetry telemetry)
    : ResilienceHandler(registrationKey, source, telemetry)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestRateLimiter limiter = slot.Current;
        ValueTask permit = limiter.AcquirePermissionAsync(1, cancellationToken);
        return permit.IsCompletedSuccessfully
            ? SendInnerAsync(request, cancellationToken)
            : WaitThenSendAsync(permit, request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            slot.Current.AcquirePermission();
        }
        catch (RequestNotPermittedException)
        {
            Telemetry.OnRateLimiterRejected(Source, request);
            throw;
        }

        return SendInner(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> WaitThenSendAsync(ValueTask permit, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            await permit.ConfigureAwait(false);
        }
        catch (RequestNotPermittedException)
        {
            Telemetry.OnRateLimiterRejected(Source, request);
            throw;
        }

        return await SendInnerAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
