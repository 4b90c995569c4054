using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Integration;

/// <summary>
/// The total time limit of the standard composition bounds reading the body, however the caller reads it: a server
/// that sends headers and half a body and then waits (with a <c>Content-Length</c>, which the attempt buffers, or
/// chunked, which the caller reads under the rest of the limit) ends the call with the time-out within the limit, and
/// the connection is released: the server sees it closed, and the client's only connection serves the next request.
/// </summary>
public class DeadlineContentSocketTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    /// <summary>Generous for a loaded 2-core machine; the call hangs for ever without the bound.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public static TheoryData<string, string> Reads => new()
    {
        { "string", "100" },
        { "string", "chunked" },
        { "buffered", "100" },
        { "buffered", "chunked" },
        { "stream", "100" },
        { "stream", "chunked" },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Read_BodyStalls_ThrowsTimeoutWithinTotalLimitAndReleasesConnection(string read, string length)
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = Client(server);
        await client.WarmUpAsync();
        string path = $"stall/{length}/{read}";
        long start = Stopwatch.GetTimestamp();

        Task call = ReadAsync(client.Http, read, path);
        Func<Task> bounded = () => call.WaitAsync(Bound);

        (await bounded.Should().ThrowAsync<TimeLimiterTimeoutException>()).Which.TimeLimiterName.Should().Be(IntegrationClient.Name + "-total");
        Stopwatch.GetElapsedTime(start).Should().BeLessThan(Bound);
        ScriptedServer.PathStats stats = server.Stats("/" + path);
        (await IntegrationClient.WaitUntilAsync(() => server.NextChange, () => stats.Aborted == 1)).Should().BeTrue("the stalled connection is closed");
        using HttpResponseMessage next = await client.Http.GetAsync("status/200/next").WaitAsync(Bound);
        next.IsSuccessStatusCode.Should().BeTrue("the client's only connection is free again");
    }

    internal static IntegrationClient Client(ScriptedServer server, Action<HttpResilienceOptions>? configure = null) =>
        IntegrationClient.CreateWith(
            server,
            // <deadline-client>
            s => s.AddResilientHttpClient(IntegrationClient.Name, o =>
            {
                o.TotalTimeLimiter!.TimeoutDuration = Limit;
                o.Retry!.WaitDuration = TimeSpan.FromMilliseconds(10);
                configure?.Invoke(o);
            }),
            b => b.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = 1 }));
            // </deadline-client>

    private static async Task ReadAsync(HttpClient client, string read, string path)
    {
        switch (read)
        {
            case "string":
                _ = await client.GetStringAsync(path);
                break;
            case "buffered":
                using (HttpResponseMessage response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead))
                {
                }

                break;
            default:
                using (HttpResponseMessage response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead))
                {
                    await using Stream stream = await response.Content.ReadAsStreamAsync();
                    using var reader = new StreamReader(stream);
                    _ = await reader.ReadToEndAsync();
                }

                break;
        }
    }
}
