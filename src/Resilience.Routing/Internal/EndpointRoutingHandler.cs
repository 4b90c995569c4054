using Resilience.Discovery;

namespace Resilience.Routing.Internal;

/// <summary>
/// The innermost handler of a client that opted in with <c>AddEndpointRouting</c>: on every send (every retry attempt,
/// since the resilience handlers sit outside it) it resolves the request's logical authority, lets the policy choose an
/// endpoint, takes a slot of its pool (waiting in its bounded queue when <c>MaxRequests</c> are in flight), sends the
/// request there, and then gives the slot back and puts the logical address back.
/// </summary>
/// <remarks>Not <see langword="async"/> on the common path: a resolved name, a free slot and a synchronously completed
/// inner send allocate nothing here.</remarks>
internal sealed class EndpointRoutingHandler(EndpointRouter router) : DelegatingHandler
{
    // The last logical name this handler resolved, compared with the request's address without allocating.
    private string? _lastName;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? logical = request.RequestUri;
        if (logical is null || !logical.IsAbsoluteUri)
        {
            return base.SendAsync(request, cancellationToken);
        }

        ValueTask<EndpointSet> pending = router.Resolver.GetEndpointSetAsync(ServiceName(logical), cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return ResolveAndSendAsync(request, logical, pending, cancellationToken);
        }

        EndpointState state;
        DiscoveredEndpoint endpoint;
        try
        {
            state = router.Pick(request, pending.Result, out endpoint);
        }
        catch (Exception e)
        {
            return Task.FromException<HttpResponseMessage>(e);
        }

        if (!state.TryEnter(router.MaxRequests))
        {
            return QueueAndSendAsync(request, logical, state, endpoint, cancellationToken);
        }

        Task<HttpResponseMessage> sending;
        try
        {
            sending = SendEntered(request, logical, endpoint, cancellationToken);
        }
        catch
        {
            Leave(request, logical, state);
            throw;
        }

        if (sending.IsCompleted)
        {
            Leave(request, logical, state);
            return sending;
        }

        return LeaveAfterAsync(request, logical, state, sending);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? logical = request.RequestUri;
        if (logical is null || !logical.IsAbsoluteUri)
        {
            return base.Send(request, cancellationToken);
        }

        ValueTask<EndpointSet> pending = router.Resolver.GetEndpointSetAsync(ServiceName(logical), cancellationToken);
        EndpointSet set = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        EndpointState state = router.Pick(request, set, out DiscoveredEndpoint endpoint);
        if (!state.TryEnter(router.MaxRequests))
        {
            state.EnterQueuedAsync(router.MaxRequests, router.MaxPendingRequests, cancellationToken).GetAwaiter().GetResult();
        }

        try
        {
            request.Options.Set(EndpointRoutingOptions.EndpointKey, endpoint);
            request.RequestUri = endpoint.Rewrite(logical);
            return base.Send(request, cancellationToken);
        }
        finally
        {
            Leave(request, logical, state);
        }
    }

    private Task<HttpResponseMessage> SendEntered(HttpRequestMessage request, Uri logical, DiscoveredEndpoint endpoint, CancellationToken cancellationToken)
    {
        request.Options.Set(EndpointRoutingOptions.EndpointKey, endpoint);
        request.RequestUri = endpoint.Rewrite(logical);
        return base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> ResolveAndSendAsync(
        HttpRequestMessage request, Uri logical, ValueTask<EndpointSet> pending, CancellationToken cancellationToken)
    {
        EndpointSet set = await pending.ConfigureAwait(false);
        EndpointState state = router.Pick(request, set, out DiscoveredEndpoint endpoint);
        if (!state.TryEnter(router.MaxRequests))
        {
            await state.EnterQueuedAsync(router.MaxRequests, router.MaxPendingRequests, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await SendEntered(request, logical, endpoint, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Leave(request, logical, state);
        }
    }

    private async Task<HttpResponseMessage> QueueAndSendAsync(
        HttpRequestMessage request, Uri logical, EndpointState state, DiscoveredEndpoint endpoint, CancellationToken cancellationToken)
    {
        await state.EnterQueuedAsync(router.MaxRequests, router.MaxPendingRequests, cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendEntered(request, logical, endpoint, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Leave(request, logical, state);
        }
    }

    private async Task<HttpResponseMessage> LeaveAfterAsync(HttpRequestMessage request, Uri logical, EndpointState state, Task<HttpResponseMessage> sending)
    {
        try
        {
            return await sending.ConfigureAwait(false);
        }
        finally
        {
            Leave(request, logical, state);
        }
    }

    private void Leave(HttpRequestMessage request, Uri logical, EndpointState state)
    {
        request.RequestUri = logical;
        state.Exit(router.MaxRequests);
    }

    /// <summary><c>scheme://host[:port]</c> of <paramref name="address"/>, reusing the last name when the address starts with it.</summary>
    private string ServiceName(Uri address)
    {
        string? last = Volatile.Read(ref _lastName);
        string text = address.OriginalString;
        if (last is not null && text.StartsWith(last, StringComparison.Ordinal)
            && (text.Length == last.Length || text[last.Length] is '/' or '?' or '#'))
        {
            return last;
        }

        string name = address.GetLeftPart(UriPartial.Authority);
        Volatile.Write(ref _lastName, name);
        return name;
    }
}
