using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Handlers;

/// <summary>
/// Sends a request again while it fails: a thin front-end over Core's <see cref="Retry"/>, whose options carry the
/// HTTP rules (see <see cref="HttpRetryPolicy"/>). Every decision, wait, count and event is the retry's, through its
/// <see cref="RetryContext"/>; the handler sends the attempts and reports them.
/// </summary>
/// <remarks>
/// <para>A failed response is disposed before the next attempt; the last response is returned undisposed, whether
/// it succeeded or the retries ran out. When a wait (from <c>Retry-After</c> or the backoff) cannot end before the
/// total time limit, the retry stops and returns the last response, or rethrows the last exception.</para>
/// <para>The caller's cancellation ends the call at once, during an attempt or a wait, and is never retried. An
/// attempt that succeeds synchronously returns the inner task as it is and allocates nothing.</para>
/// </remarks>
internal sealed class RetryHandler(
    ReloadableSlot<HttpRetryOptions, HttpRetryPolicy> slot,
    string registrationKey,
    TelemetrySource source,
    HttpResilienceTelemetry telemetry)
    : ResilienceHandler(registrationKey, source, telemetry)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpRetryPolicy policy = slot.Current;
        RetryContext call = policy.Retry.BeginCall(request);
        Task<HttpResponseMessage> task = SendInnerAsync(request, cancellationToken);
        if (task.IsCompletedSuccessfully && !policy.Rule.IsFailure(task.Result))
        {
            // What ShouldRetry decides for a response that is not a failure, without testing the rule twice.
            call.RecordSuccess();
            Telemetry.OnRetryCallEnded(Source, RetryCallOutcome.Succeeded, 1);
            return task;
        }

        return RetryAsync(call, request, task, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RetryContext call = slot.Current.Retry.BeginCall(request);
        while (true)
        {
            HttpResponseMessage response;
            try
            {
                response = SendInner(request, cancellationToken);
            }
            catch (Exception ex)
            {
                if (!ShouldRetry(ref call, request, null, ex, cancellationToken))
                {
                    throw;
                }

                call.Wait(cancellationToken);
                continue;
            }

            if (!ShouldRetry(ref call, request, response, null, cancellationToken))
            {
                return response;
            }

            call.Wait(cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> RetryAsync(RetryContext call, HttpRequestMessage request, Task<HttpResponseMessage> task, CancellationToken cancellationToken)
    {
        while (true)
        {
            HttpResponseMessage response;
            try
            {
                response = await task.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (!ShouldRetry(ref call, request, null, ex, cancellationToken))
                {
                    throw;
                }

                await call.WaitAsync(cancellationToken).ConfigureAwait(false);
                task = SendInnerAsync(request, cancellationToken);
                continue;
            }

            if (!ShouldRetry(ref call, request, response, null, cancellationToken))
            {
                return response;
            }

            await call.WaitAsync(cancellationToken).ConfigureAwait(false);
            task = SendInnerAsync(request, cancellationToken);
        }
    }

    /// <summary>Asks the retry about an attempt, and reports the retry it decided or the end of the call.</summary>
    private bool ShouldRetry(ref RetryContext call, HttpRequestMessage request, HttpResponseMessage? response, Exception? error, CancellationToken cancellationToken)
    {
        bool retry = false;
        TimeSpan wait = TimeSpan.Zero;
        try
        {
            retry = error is null ? call.ShouldRetry(response, out wait) : call.ShouldRetry(error, cancellationToken, out wait);
        }
        finally
        {
            if (retry)
            {
                Telemetry.OnRetry(Source, request, call.AttemptNumber, wait, response, error);
            }
            else if (call.Outcome != RetryCallOutcome.Pending)
            {
                Telemetry.OnRetryCallEnded(Source, call.Outcome, call.AttemptNumber);
            }
        }

        return retry;
    }
}
