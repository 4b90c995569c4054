using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Handlers;

/// <summary>
/// Bounds the number of requests in flight, waiting up to <see cref="BulkheadOptions.MaxWaitDuration"/> for a permit.
/// A request refused after that wait throws <see cref="BulkheadFullException"/> without reaching the inner handler.
/// </summary>
/// <remarks>
/// The permit is held until the response headers arrive (or the request fails), not while the caller reads the body:
/// a handler cannot see the end of the body. The caller's cancellation during the wait takes no permit.
/// </remarks>
internal sealed class BulkheadHandler(
    ReloadableSlot<BulkheadOptions, BulkheadHolder> slot,
    string registrationKey,
    TelemetrySource source,
    HttpResilienceTelemetry telemetry)
    : ResilienceHandler(registrationKey, source, telemetry)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ValueTask<BulkheadPermit> acquiring = slot.Current.Bulkhead.AcquirePermissionAsync(cancellationToken);
        if (!acquiring.IsCompletedSuccessfully)
        {
            return WaitThenSendAsync(acquiring, request, cancellationToken);
        }

        return SendHoldingPermit(acquiring.Result, request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        BulkheadPermit permit;
        try
        {
            permit = slot.Current.Bulkhead.AcquirePermission();
        }
        catch (BulkheadFullException)
        {
            Telemetry.OnBulkheadRejected(Source, request);
            throw;
        }

        try
        {
            return SendInner(request, cancellationToken);
        }
        finally
        {
            permit.Complete();
        }
    }

    private Task<HttpResponseMessage> SendHoldingPermit(BulkheadPermit permit, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Task<HttpResponseMessage> task = SendInnerAsync(request, cancellationToken);
        if (task.IsCompleted)
        {
            permit.Complete();
            return task;
        }

        return CompleteWhenDoneAsync(permit, task);
    }

    private async Task<HttpResponseMessage> WaitThenSendAsync(ValueTask<BulkheadPermit> acquiring, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        BulkheadPermit permit;
        try
        {
            permit = await acquiring.ConfigureAwait(false);
        }
        catch (BulkheadFullException)
        {
            Telemetry.OnBulkheadRejected(Source, request);
            throw;
        }

        return await SendHoldingPermit(permit, request, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HttpResponseMessage> CompleteWhenDoneAsync(BulkheadPermit permit, Task<HttpResponseMessage> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            permit.Complete();
        }
    }
}
