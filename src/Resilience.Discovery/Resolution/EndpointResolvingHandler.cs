using Resilience.Http;

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

    /// <remarks>
    /// Not an <see langword="async"/> method: when the name is resolved and the inner handler completes synchronously,
    /// its own task is returned, so that a resolved request allocates nothing here.
    /// </remarks>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri? logical = request.RequestUri;
        if (logical is null || !logical.IsAbsoluteUri)
        {
            return base.SendAsync(request, cancellationToken);
        }

        ValueTask<EndpointSet> pending = _resolver.GetEndpointSetAsync(ServiceName(logical, out int pathStart), cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return ResolveAndSendAsync(request, logical, pathStart, pending, cancellationToken);
        }

        EndpointSet set = pending.Result;
        DiscoveredEndpoint? endpoint = set.PickRoundRobin();
        if (endpoint is null)
        {
            return Task.FromException<HttpResponseMessage>(NoEndpoint(set));
        }

        Route(request, set, endpoint, logical, pathStart);
        Task<HttpResponseMessage> sending;
        try
        {
            sending = base.SendAsync(request, cancellationToken);
        }
        catch
        {
            request.RequestUri = logical;
            throw;
        }

        if (sending.IsCompleted)
        {
            request.RequestUri = logical;
            return sending;
        }

        return RestoreAfterAsync(request, logical, sending);
    }

    private async Task<HttpResponseMessage> ResolveAndSendAsync(
        HttpRequestMessage request, Uri logical, int pathStart, ValueTask<EndpointSet> pending, CancellationToken cancellationToken)
    {
        EndpointSet set = await pending.ConfigureAwait(false);
        Route(request, set, Pick(set), logical, pathStart);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.RequestUri = logical;
        }
    }

    private static async Task<HttpResponseMessage> RestoreAfterAsync(HttpRequestMessage request, Uri logical, Task<HttpResponseMessage> sending)
    {
        try
        {
            return await sending.ConfigureAwait(false);
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

        ValueTask<EndpointSet> pending = _resolver.GetEndpointSetAsync(ServiceName(logical, out int pathStart), cancellationToken);
        EndpointSet set = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        Route(request, set, Pick(set), logical, pathStart);
        try
        {
            return base.Send(request, cancellationToken);
        }
        finally
        {
            request.RequestUri = logical;
        }
    }

    /// <summary>Sends the attempt to <paramref name="endpoint"/>, with the identity it registered when its set has any.</summary>
    private static void Route(HttpRequestMessage request, EndpointSet set, DiscoveredEndpoint endpoint, Uri logical, int pathStart)
    {
        request.RequestUri = endpoint.Rewrite(logical, pathStart);
        if (set.HasIdentities)
        {
            ExpectedServerIdentity.Set(request, endpoint.Identity);
        }
    }

    private static DiscoveredEndpoint Pick(EndpointSet set) => set.PickRoundRobin() ?? throw NoEndpoint(set);

    private static HttpRequestException NoEndpoint(EndpointSet set) => new(
        HttpRequestError.NameResolutionError,
        $"The service '{set.ServiceName}' has no endpoint (endpoint set version {set.Version}).");

    /// <summary>
    /// <c>scheme://host[:port]</c> of <paramref name="address"/>, reusing the last name when the address starts with
    /// it; <paramref name="pathStart"/> is then where the path starts in the original string, else -1.
    /// </summary>
    private string ServiceName(Uri address, out int pathStart)
    {
        string? last = Volatile.Read(ref _lastName);
        string text = address.OriginalString;
        if (last is not null && text.StartsWith(last, StringComparison.Ordinal)
            && (text.Length == last.Length || text[last.Length] is '/' or '?' or '#'))
        {
            pathStart = last.Length;
            return last;
        }

        pathStart = -1;
        string name = address.GetLeftPart(UriPartial.Authority);
        Volatile.Write(ref _lastName, name);
        return name;
    }
}
