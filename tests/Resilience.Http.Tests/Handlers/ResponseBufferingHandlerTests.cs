using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Http.Tests.Telemetry;

namespace Resilience.Http.Tests.Handlers;

/// <summary>
/// The buffering of bodies in the attempt, and the deadline of the total limit, cost nothing on the path the
/// HttpClientBenchmark measures (an in-memory 200, buffered by <see cref="HttpClient"/>): the standard composition
/// allocates per call what the bare client allocates, with no body and with a body of known length.
/// </summary>
public class ResponseBufferingHandlerTests
{
    [ReleaseOnlyFact]
    public async Task GetAsync_InMemoryResponseBuffered_AllocatesNoMoreThanBareClient()
    {
        foreach (bool withBody in (bool[])[false, true])
        {
            var services = new ServiceCollection();
            services.AddHttpClient("bare", static c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers()
                .ConfigurePrimaryHttpMessageHandler(() => new InMemoryHandler(withBody));
            services.AddResilientHttpClient("ours").RemoveAllLoggers().ConfigurePrimaryHttpMessageHandler(() => new InMemoryHandler(withBody));
            await using ServiceProvider provider = services.BuildServiceProvider();
            IHttpClientFactory factory = provider.GetRequiredService<IHttpClientFactory>();
            using HttpClient bare = factory.CreateClient("bare");
            using HttpClient ours = factory.CreateClient("ours");
            await SendManyAsync(bare, 200);
            await SendManyAsync(ours, 200);

            long bareBytes = await SendManyAsync(bare, 1000);
            long ourBytes = await SendManyAsync(ours, 1000);

            ourBytes.Should().BeLessThanOrEqualTo(bareBytes, "with a body: {0}", withBody);
        }
    }

    /// <summary>Sends <paramref name="count"/> GETs, each completing synchronously, and returns the bytes this thread allocated.</summary>
    private static async Task<long> SendManyAsync(HttpClient client, int count)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++)
        {
            Task<HttpResponseMessage> task = client.GetAsync("http://localhost/x");
            if (!task.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("The pipeline did not complete synchronously.");
            }

            (await task).Dispose();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>A new 200 per call, without a body (as in the benchmark) or with 1 KiB of a stated length, which the attempt buffers.</summary>
    private sealed class InMemoryHandler(bool withBody) : HttpMessageHandler
    {
        private static readonly byte[] Body = new byte[1024];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK);
            if (withBody)
            {
                response.Content = new StreamContent(new NonSeekableStream(Body));
                response.Content.Headers.ContentLength = Body.Length;
            }

            return Task.FromResult(response);
        }
    }

    /// <summary>A body whose length only its header says, as on the network.</summary>
    private sealed class NonSeekableStream(byte[] body) : MemoryStream(body)
    {
        public override bool CanSeek => false;
    }
}
