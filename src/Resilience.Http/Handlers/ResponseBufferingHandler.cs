using Resilience.Http.Internal;

namespace Resilience.Http.Handlers;

/// <summary>
/// Reads the body of each attempt's response into memory before the attempt ends, when <see cref="ResponseBody"/>
/// says so, so that a body that breaks or stalls is a failure of that attempt: the breaker records it, the retry
/// sends the request again where it may, and the per-attempt time limit bounds it.
/// </summary>
/// <remarks>
/// <para>It is the innermost layer of the standard composition (inside the per-attempt time limit), and is there only
/// when the composition has a retry or a circuit breaker. A body that fails while it is read here ends the attempt
/// with the exception <see cref="HttpContent.LoadIntoBufferAsync(long, CancellationToken)"/> throws (an
/// <see cref="HttpRequestException"/> "Error while copying content to a stream", a failure for the breaker and the
/// retry), and the response is disposed, which releases its connection.</para>
/// <para>The buffered body is the content's own buffer: <see cref="HttpClient"/>'s own buffering of a
/// <see cref="HttpCompletionOption.ResponseContentRead"/> body then finds it done. A response that needs no buffering
/// and completed synchronously is passed on as the inner task itself. The synchronous <see cref="HttpClient.Send(HttpRequestMessage)"/>
/// path does not buffer (<see cref="HttpContent"/> has no public synchronous buffering); its body is bounded by the
/// total time limit only.</para>
/// </remarks>
internal sealed class ResponseBufferingHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Task<HttpResponseMessage> task;
        try
        {
            task = base.SendAsync(request, cancellationToken);
        }
#pragma warning disable CA1031 // Handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException<HttpResponseMessage>(ex);
        }

        if (!task.IsCompletedSuccessfully)
        {
            return BufferAsync(task, request, cancellationToken);
        }

        HttpResponseMessage response = task.Result;
        if (!ResponseBody.IsBufferedInAttempt(request, response))
        {
            return task;
        }

        // A body already in reach (a synchronous inner handler) is buffered at once, and the inner task returned as it is.
        Task load = Load(response, cancellationToken);
        return load.IsCompletedSuccessfully ? task : AwaitLoadAsync(load, response);
    }

    private static async Task<HttpResponseMessage> BufferAsync(Task<HttpResponseMessage> task, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await task.ConfigureAwait(false);
        if (ResponseBody.IsBufferedInAttempt(request, response))
        {
            await AwaitLoadAsync(Load(response, cancellationToken), response).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>Starts buffering the body; a synchronous throw comes back as a faulted task.</summary>
    private static Task Load(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return response.Content.LoadIntoBufferAsync(ResponseBody.MaxAttemptBufferSize, cancellationToken);
        }
#pragma warning disable CA1031 // Handed back through the task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>Waits for the body; a body that fails disposes the response (its connection is released) and fails the attempt.</summary>
    private static async Task<HttpResponseMessage> AwaitLoadAsync(Task load, HttpResponseMessage response)
    {
        try
        {
            await load.ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }
}
