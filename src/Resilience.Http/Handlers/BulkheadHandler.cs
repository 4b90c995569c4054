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
        Bulkhead bulkhead = slot.Current.Bulkhead;
        ValueTask permit = bulkhead.AcquirePermissionAsync(cancellationToken);
        if (!permit.IsCompletedSuccessfully)
        {
            return WaitThenSendAsync(bulkhead, permit, request, cancellationToken);
        }

        return SendHoldingPermit(bulkhead, request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Bulkhead bulkhead = slot.Current.Bulkhead;
        try
        {
            bulkhead.AcquirePermission();
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
            bulkhead.OnComplete();
        }
    }

    private Task<HttpResponseMessage> SendHoldingPermit(Bulkhead bulkhead, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Task<HttpResponseMessage> task = SendInnerAsync(request, cancellationToken);
        if (task.IsCompleted)
        {
            bulkhead.OnComplete();
            return task;
        }

        return ReleaseWhenDoneAsync(bulkhead, task);
    }

    private async Task<HttpResponseMessage> WaitThenSendAsync(Bulkhead bulkhead, ValueTask permit, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            await permit.ConfigureAwait(false);
        }
        catch (BulkheadFullException)
        {
            Telemetry.OnBulkheadRejected(Source, request);
            throw;
        }

        return await SendHoldingPermit(bulkhead, request, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HttpResponseMessage> ReleaseWhenDoneAsync(Bulkhead bulkhead, Task<HttpResponseMessage> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            bulkhead.OnComplete();
        }
    }
}
