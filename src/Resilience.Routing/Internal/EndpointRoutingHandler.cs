using Resilience.Discovery;
using Resilience.Http;

namespace Resilience.Routing.Internal;

/// <summary>
/// The innermost handler of a client that opted in with <c>AddEndpointRouting</c>: on every send (every retry attempt,
/// since the resilience handlers sit outside it) it resolves the request's logical authority, lets the policy choose an
/// endpoint (avoiding, for a retry, those already tried) and admits the attempt in the service's retry budget, takes a
/// slot of its pool (waiting in its bounded queue when <c>MaxRequests</c> are in flight), sends the request there, and
/// then gives the slot back, puts the logical address back and reports the outcome to the service's outlier detector.
/// </summary>
/// <remarks>Not <see langword="async"/> on the common path: a resolved name, a free slot and a synchronously completed
/// inner send allocate nothing here.</remarks>
internal sealed class EndpointRoutingHandler(EndpointRouter router) : DelegatingHandler
{
    private readonly ServiceNameCache _names = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? logical = request.RequestUri;
        if (logical is null || !logical.IsAbsoluteUri)
        {
            return base.SendAsync(request, cancellationToken);
        }

        ValueTask<EndpointSet> pending = router.Resolver.GetEndpointSetAsync(_names.Of(logical), cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return ResolveAndSendAsync(request, logical, pending, cancellationToken);
        }

        RoutedAttempt attempt;
        try
        {
            attempt = router.Begin(request, pending.Result);
        }
        catch (Exception e)
        {
            return Task.FromException<HttpResponseMessage>(e);
        }

        if (!attempt.State.TryEnter(router.MaxRequests))
        {
            return QueueAndSendAsync(request, logical, attempt, cancellationToken);
        }

        if (router.AttemptTimeout is { } limit)
        {
            return SendWithinAsync(request, logical, attempt, limit, cancellationToken);
        }

        Task<HttpResponseMessage> sending;
        try
        {
            sending = SendEntered(request, logical, attempt.Endpoint, cancellationToken);
        }
        catch (Exception e)
        {
            Leave(request, logical, attempt, null, e, cancellationToken);
            throw;
        }

        if (sending.IsCompleted)
        {
            Leave(request, logical, attempt, sending.IsCompletedSuccessfully ? sending.Result : null, FailureOf(sending), cancellationToken);
            return sending;
        }

        return LeaveAfterAsync(request, logical, attempt, sending, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? logical = request.RequestUri;
        if (logical is null || !logical.IsAbsoluteUri)
        {
            return base.Send(request, cancellationToken);
        }

        ValueTask<EndpointSet> pending = router.Resolver.GetEndpointSetAsync(_names.Of(logical), cancellationToken);
        EndpointSet set = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        RoutedAttempt attempt = router.Begin(request, set);
        if (!attempt.State.TryEnter(router.MaxRequests))
        {
            try
            {
                attempt.State.EnterQueuedAsync(router.MaxRequests, router.MaxPendingRequests, cancellationToken).GetAwaiter().GetResult();
            }
            catch
            {
                EndpointRouter.End(attempt, null, null, cancellationToken); // refused or cancelled in the queue: not the endpoint's doing
                throw;
            }
        }

        HttpResponseMessage? response = null;
        Exception? failure = null;
        using CancellationTokenSource? deadline = router.AttemptTimeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using ITimer? timer = deadline is null
            ? null
            : router.Time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), deadline, router.AttemptTimeout!.Value, Timeout.InfiniteTimeSpan);
        try
        {
            request.Options.Set(EndpointRoutingOptions.EndpointKey, attempt.Endpoint);
            ExpectedServerIdentity.Set(request, attempt.Endpoint.Identity);
            request.RequestUri = attempt.Endpoint.Rewrite(logical);
            return response = base.Send(request, deadline?.Token ?? cancellationToken);
        }
        catch (OperationCanceledException e) when (deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            failure = TimedOut(attempt, router.AttemptTimeout!.Value, e);
            throw failure;
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            Leave(request, logical, attempt, response, failure, cancellationToken);
        }
    }

    private Task<HttpResponseMessage> SendEntered(HttpRequestMessage request, Uri logical, DiscoveredEndpoint endpoint, CancellationToken cancellationToken)
    {
        request.Options.Set(EndpointRoutingOptions.EndpointKey, endpoint);
        ExpectedServerIdentity.Set(request, endpoint.Identity);
        request.RequestUri = endpoint.Rewrite(logical);
        return base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> ResolveAndSendAsync(
        HttpRequestMessage request, Uri logical, ValueTask<EndpointSet> pending, CancellationToken cancellationToken)
    {
        EndpointSet set = await pending.ConfigureAwait(false);
        RoutedAttempt attempt = router.Begin(request, set);
        if (attempt.State.TryEnter(router.MaxRequests))
        {
            return await SendAndLeaveAsync(request, logical, attempt, cancellationToken).ConfigureAwait(false);
        }

        return await QueueAndSendAsync(request, logical, attempt, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> QueueAndSendAsync(
        HttpRequestMessage request, Uri logical, RoutedAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            await attempt.State.EnterQueuedAsync(router.MaxRequests, router.MaxPendingRequests, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            EndpointRouter.End(attempt, null, null, cancellationToken); // refused or cancelled in the queue: not the endpoint's doing
            throw;
        }

        return await SendAndLeaveAsync(request, logical, attempt, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAndLeaveAsync(HttpRequestMessage request, Uri logical, RoutedAttempt attempt, CancellationToken cancellationToken)
    {
        if (router.AttemptTimeout is { } limit)
        {
            return await SendWithinAsync(request, logical, attempt, limit, cancellationToken).ConfigureAwait(false);
        }

        Task<HttpResponseMessage> sending;
        try
        {
            sending = SendEntered(request, logical, attempt.Endpoint, cancellationToken);
        }
        catch (Exception e)
        {
            Leave(request, logical, attempt, null, e, cancellationToken);
            throw;
        }

        return await LeaveAfterAsync(request, logical, attempt, sending, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> LeaveAfterAsync(
        HttpRequestMessage request, Uri logical, RoutedAttempt attempt, Task<HttpResponseMessage> sending, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        Exception? failure = null;
        try
        {
            return response = await sending.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            Leave(request, logical, attempt, response, failure, cancellationToken);
        }
    }

    /// <summary>
    /// Sends an admitted attempt with the per-attempt limit: the inner handler gets a token that the limit cancels too,
    /// and a cancellation by the limit (the caller's token still live) becomes a <see cref="TimeoutException"/>, counted
    /// against the endpoint.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithinAsync(
        HttpRequestMessage request, Uri logical, RoutedAttempt attempt, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using ITimer timer = router.Time.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), deadline, limit, Timeout.InfiniteTimeSpan);
        HttpResponseMessage? response = null;
        Exception? failure = null;
        try
        {
            return response = await SendEntered(request, logical, attempt.Endpoint, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            failure = TimedOut(attempt, limit, e);
            throw failure;
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            Leave(request, logical, attempt, response, failure, cancellationToken);
        }
    }

    private static TimeoutException TimedOut(in RoutedAttempt attempt, TimeSpan limit, Exception cancellation) => new(
        $"The attempt to {attempt.Endpoint} took longer than its AttemptTimeout of {DurationText.Format(limit)}.", cancellation);

    /// <summary>The exception of a completed task that did not succeed; a cancelled one as a cancellation (see <see cref="EndpointRouter.Classify(Exception?, CancellationToken)"/>).</summary>
    private static Exception? FailureOf(Task<HttpResponseMessage> completed) =>
        completed.IsFaulted ? completed.Exception!.InnerException : completed.IsCanceled ? new OperationCanceledException() : null;

    private void Leave(HttpRequestMessage request, Uri logical, in RoutedAttempt attempt, HttpResponseMessage? response, Exception? failure, CancellationToken cancellationToken)
    {
        request.RequestUri = logical;
        attempt.State.Exit(router.MaxRequests);
        EndpointRouter.End(attempt, response, failure, cancellationToken);
    }
}
