using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Integration;

public class BulkheadHandlerSocketTests
{
    [Fact]
    public async Task SendAsync_TenConcurrentWithWaiting_AllSucceedAndServerSeesAtMostThreeAtOnce()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = IntegrationClient.Create(server, b => b.AddBulkhead("b", o =>
        {
            o.MaxConcurrentCalls = 3;
            o.MaxWaitDuration = TimeSpan.FromSeconds(5); // 4 waves of 100 ms; generous for a loaded machine
        }));

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.Http.GetAsync("delay/100/b")));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        server.Stats("/delay/100/b").Requests.Should().Be(10);
        server.MaxInFlight.Should().BeInRange(1, 3);
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task SendAsync_TenConcurrentWithoutWaiting_ThreeReachServerAndSevenRejected()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync();
        using IntegrationClient client = IntegrationClient.Create(server, b => b.AddBulkhead("b", o =>
        {
            o.MaxConcurrentCalls = 3;
            o.MaxWaitDuration = TimeSpan.Zero;
        }));

        // The held requests keep their permits until the test releases them, so exactly 3 of the 10 get one.
        Task<HttpResponseMessage>[] calls = [.. Enumerable.Range(0, 10).Select(_ => client.Http.GetAsync("hold/b"))];
        (await IntegrationClient.WaitUntilAsync(() => Task.WhenAny([server.NextChange, .. calls.Where(c => !c.IsCompleted)]), () => server.InFlight == 3 && calls.Count(c => c.IsFaulted) == 7)).Should().BeTrue();
        server.ReleaseHeld();
        await Task.WhenAll(calls).ContinueWith(static _ => { }, TaskScheduler.Default);

        calls.Where(c => c.IsFaulted).Select(c => c.Exception!.InnerException).Should().HaveCount(7).And.AllBeOfType<BulkheadFullException>();
        var succeeded = new List<HttpStatusCode>();
        foreach (Task<HttpResponseMessage> call in calls.Where(c => c.IsCompletedSuccessfully))
        {
            using HttpResponseMessage response = await call;
            succeeded.Add(response.StatusCode);
        }

        succeeded.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK);
        server.Stats("/hold/b").Requests.Should().Be(3);
        server.MaxInFlight.Should().Be(3);
    }
}
