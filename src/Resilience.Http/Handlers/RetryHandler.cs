using System.Runtime.ExceptionServices;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;

namespace Resilience.Http.Handlers;

/// <summary>
/// Sends a request again while it fails, within the retry's attempts, the HTTP rules (idempotent methods, replayable
/// content, <c>Retry-After</c>) and the total time limit of the composition.
/// </summary>
/// <remarks>
/// <para>A failed response is disposed before the next attempt; the last response is returned undisposed, whether
/// it succeeded or the retries ran out. When a wait (from <c>Retry-After</c> or the backoff) cannot end before the
/// total time limit, the retry stops and returns the last response, or rethrows the last exception.</para>
/// <para>The caller's cancellation ends the call at once, during an attempt or a wait, and is never retried. An
/// attempt that succeeds synchronously returns the inner task as it is and allocates nothing.</para>
/// </remarks>
internal sealed partial class RetryHandler(
    ReloadableSlot<HttpRetryOptions, HttpRetryPolicy> slot,
    string registrationKey,
    TelemetrySource source,
    HttpResilienceTelemetry telemetry)
    : ResilienceHandler(registrationKey, source, telemetry)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpRetryPolicy policy = slot.Current;
        long start = policy.StartTimestamp();
        Task<HttpResponseMessage> task = SendInnerAsync(request, cancellationToken);
        if (task.IsCompletedSuccessfully && !policy.Rule.IsFailure(task.Result))
        {
            policy.Retry.EndCall(Retry.CallEnd.Succeeded, 1);
            Telemetry.OnRetryCallEnded(Source, Retry.CallEnd.Succeeded, 1);
            return task;
        }

        return RetryAsync(policy, request, task, start, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpRetryPolicy policy = slot.Current;
        long start = policy.StartTimestamp();
        var call = new AttemptState();
        while (true)
        {
            HttpResponseMessage? response = null;
            Exception? error = null;
            try
            {
                response = SendInner(request, cancellationToken);
            }
#pragma warning disable CA1031 // Classified below and rethrown unless retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex;
            }

            if (!Decide(policy, request, response, error, start, ref call, cancellationToken, out TimeSpan wait))
            {
                return Finish(response, error);
            }

            response?.Dispose();
            WaitBlocking(policy, wait, ref call, cancellationToken);
            call.Attempt++;
        }
    }

    private async Task<HttpResponseMessage> RetryAsync(HttpRetryPolicy policy, HttpRequestMessage request, Task<HttpResponseMessage> task, long start, CancellationToken cancellationToken)
    {
        var call = new AttemptState();
        while (true)
        {
            HttpResponseMessage? response = null;
            Exception? error = null;
            try
            {
                response = await task.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Classified below and rethrown unless retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex;
            }

            if (!Decide(policy, request, response, error, start, ref call, cancellationToken, out TimeSpan wait))
            {
                return Finish(response, error);
            }

            response?.Dispose();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, policy.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    End(policy, Retry.CallEnd.Cancelled, call.Attempt);
                    throw;
                }
            }

            call.Attempt++;
            task = SendInnerAsync(request, cancellationToken);
        }
    }

    /// <summary>Decides about an attempt: <see langword="true"/> to retry after <paramref name="wait"/>; otherwise the call is over and counted.</summary>
    private bool Decide(HttpRetryPolicy policy, HttpRequestMessage request, HttpResponseMessage? response, Exception? error, long start, ref AttemptState call, CancellationToken cancellationToken, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        Retry retry = policy.Retry;
        int attempt = call.Attempt;
        if (error is not null)
        {
            if (IsCallerCancellation(error, cancellationToken))
            {
                End(policy, Retry.CallEnd.Cancelled, attempt);
                return false;
            }

            if (!retry.IsRetryableException(error))
            {
                End(policy, Retry.CallEnd.Failed, attempt);
                retry.PublishEvent(RetryEventType.IgnoredError, attempt, TimeSpan.Zero, error, null);
                return false;
            }
        }
        else if (!policy.Rule.IsFailure(response!))
        {
            End(policy, Retry.CallEnd.Succeeded, attempt);
            if (attempt > 1)
            {
                retry.PublishEvent(RetryEventType.Success, attempt, TimeSpan.Zero, call.LastError, null);
            }

            return false;
        }

        if (attempt >= retry.MaxAttempts || !TryChooseWait(policy, request, response, error, start, ref call, out wait))
        {
            End(policy, Retry.CallEnd.Failed, attempt);
            retry.PublishEvent(RetryEventType.Error, attempt, TimeSpan.Zero, error, response);
            return false;
        }

        call.LastError = error;
        retry.PublishEvent(RetryEventType.Retry, attempt, wait, error, response);
        Telemetry.OnRetry(Source, request, attempt, wait, response, error);
        return true;
    }

    private bool TryChooseWait(HttpRetryPolicy policy, HttpRequestMessage request, HttpResponseMessage? response, Exception? error, long start, ref AttemptState call, out TimeSpan wait)
    {
        if (!policy.CanResend(request, out string? reason))
        {
            Telemetry.OnRetryNotAttempted(Source, request, reason!);
            wait = default;
            return false;
        }

        TimeProvider time = policy.TimeProvider;
        if (response is not null && policy.Options.UseRetryAfterHeader && RetryAfterHint.TryGetDelay(response, time.GetUtcNow(), out TimeSpan hint))
        {
            wait = hint > policy.Options.MaxRetryAfterDelay ? policy.Options.MaxRetryAfterDelay : hint;
        }
        else if (!policy.Retry.TryGetWaitAfter(call.Attempt, error, response, ref call.JitterState, out wait))
        {
            return false;
        }

        if (policy.TotalTimeout is { } total)
        {
            TimeSpan remaining = total - policy.ElapsedSince(start);
            if (RetryAfterHint.Fit(wait, TimeSpan.MaxValue, remaining) is null)
            {
                Telemetry.OnRetryNotAttempted(Source, request, $"the wait of {wait} would end after the total time limit of {total}");
                return false;
            }
        }

        return true;
    }

    private void End(HttpRetryPolicy policy, Retry.CallEnd end, int attempts)
    {
        policy.Retry.EndCall(end, attempts);
        Telemetry.OnRetryCallEnded(Source, end, attempts);
    }

    private static HttpResponseMessage Finish(HttpResponseMessage? response, Exception? error)
    {
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return response!;
    }

    private void WaitBlocking(HttpRetryPolicy policy, TimeSpan wait, ref AttemptState call, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var signal = new ManualResetEventSlim();
        using ITimer timer = policy.TimeProvider.CreateTimer(static s => ((ManualResetEventSlim)s!).Set(), signal, wait, Timeout.InfiniteTimeSpan);
        try
        {
            signal.Wait(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            End(policy, Retry.CallEnd.Cancelled, call.Attempt);
            throw;
        }
    }

    /// <summary>The state of one call, kept in a local so that concurrent calls never share it.</summary>
    private struct AttemptState
    {
        public int Attempt;
        public double JitterState;
        public Exception? LastError;

        public AttemptState() => Attempt = 1;
    }
}
