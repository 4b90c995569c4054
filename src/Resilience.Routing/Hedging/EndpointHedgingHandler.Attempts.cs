namespace Resilience.Routing.Internal;

/// <summary>The attempts of one hedged request: started, answered, released and abandoned.</summary>
internal sealed partial class EndpointHedgingHandler
{
    private static Task[] Waits(List<Attempt> pending, Task delaying)
    {
        var waits = new Task[pending.Count + 1];
        for (int i = 0; i < pending.Count; i++)
        {
            waits[i] = pending[i].Task;
        }

        waits[^1] = delaying;
        return waits;
    }

    private static Attempt Take(List<Attempt> pending, Task done)
    {
        int i = pending.FindIndex(a => ReferenceEquals(a.Task, done));
        Attempt attempt = pending[i];
        pending.RemoveAt(i);
        return attempt;
    }

    /// <summary>The outcome of <paramref name="attempt"/> as the outcome of <paramref name="request"/>: its response, with the request and the endpoint of the original, or its exception.</summary>
    private static HttpResponseMessage Answer(HttpRequestMessage request, Attempt attempt)
    {
        attempt.Cancellation.Dispose();
        if (attempt.Message.Options.TryGetValue(EndpointRoutingOptions.EndpointKey, out Discovery.DiscoveredEndpoint? endpoint))
        {
            request.Options.Set(EndpointRoutingOptions.EndpointKey, endpoint);
        }

        HttpResponseMessage response = attempt.Task.GetAwaiter().GetResult();
        response.RequestMessage = request;
        return response;
    }

    /// <summary>Disposes what a completed attempt that lost holds: its response, its cancellation and its copy of the request (never the caller's content).</summary>
    private static void Release(Attempt attempt)
    {
        if (attempt.Task.IsCompletedSuccessfully)
        {
            attempt.Task.Result.Dispose();
        }
        else
        {
            _ = attempt.Task.Exception;
        }

        attempt.Cancellation.Dispose();
        attempt.Message.Dispose();
    }

    /// <summary>Cancels the pending attempts and releases each when it ends, and releases <paramref name="failed"/>.</summary>
    private static void AbandonAll(List<Attempt> pending, Attempt? failed)
    {
        foreach (Attempt attempt in pending)
        {
            attempt.Cancellation.Cancel();
            _ = ReleaseWhenDoneAsync(attempt);
        }

        pending.Clear();
        if (failed is not null)
        {
            Release(failed);
        }
    }

    private static async Task ReleaseWhenDoneAsync(Attempt attempt)
    {
        await ((Task)attempt.Task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Release(attempt);
    }

    private sealed record Attempt(int Index, HttpRequestMessage Message, CancellationTokenSource Cancellation, long Started, Task<HttpResponseMessage> Task);
}
