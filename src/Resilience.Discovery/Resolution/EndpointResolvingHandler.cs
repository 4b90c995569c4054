namespace Resilience.Discovery.Internal;

/// <summary>
/// The innermost handler of a client that opted in with <c>AddEndpointResolution</c>: on every send (every retry
/// attempt, since the resilience handlers sit outside it) it resolves the request's logical authority, picks an
/// endpoint round robin, sends the request there, and puts the logical address back, so that the next attempt
/// resolves again and may reach another instance.
/// </summary>
internal sealed class EndpointResolvingHandler : DelegatingHandler
{
    private readonly EndpointSetResolver _resolver;

    // The last logical name this handler resolved, compared with the request's address without allocating.
    private string? _lastName;

    public EndpointResolvingHandler(EndpointSetResolver resolver) => _resolver = resolver;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? logical = request.RequestUri;
        if (logical is null || !logical.IsAbsoluteUri)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        EndpointSet set = await _resolver.GetEndpointSetAsync(ServiceName(logical), cancellationToken).ConfigureAwait(false);
        request.RequestUri = Pick(set).Rewrite(logical);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.RequestUri = logical;
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? logical = request.RequestUri;
        if (logical is null || !logical.IsAbsoluteUri)
        {
            return base.Send(request, cancellationToken);
        }

        ValueTask<EndpointSet> pending = _resolver.GetEndpointSetAsync(ServiceName(logical), cancellationToken);
        EndpointSet set = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        request.RequestUri = Pick(set).Rewrite(logical);
        try
        {
            return base.Send(request, cancellationToken);
        }
        finally
        {
            request.RequestUri = logical;
        }
    }

    private static DiscoveredEndpoint Pick(EndpointSet set) =>
        set.PickRoundRobin() ?? throw new HttpRequestException(
            HttpRequestError.NameResolutionError,
            $"The service '{set.ServiceName}' has no endpoint (endpoint set version {set.Version}).");

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
