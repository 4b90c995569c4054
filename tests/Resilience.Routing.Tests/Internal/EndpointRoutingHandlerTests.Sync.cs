using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Routing.Tests.Internal;

public sealed partial class EndpointRoutingHandlerTests
{
    [Fact]
    public async Task Send_Synchronous_RoutesToTheEndpointAndPutsTheLogicalAddressBack()
    {
        var inner = new GateHandler();
        inner.Gate.SetResult();
        await using ServiceProvider provider = Provider(inner, static _ => { });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://svc/a"));

        using HttpResponseMessage response = http.Send(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        inner.Sent.Should().Equal(new Uri("http://10.0.0.1:80/a"));
        inner.SentSynchronously.Should().Be(1);
        request.RequestUri.Should().Be(new Uri("http://svc/a"), "the logical address is put back after the attempt");
    }

    [Fact]
    public async Task Send_SynchronousInnerThrows_PropagatesAndGivesTheSlotBack()
    {
        var inner = new GateHandler { Failure = new HttpRequestException("refused") };
        await using ServiceProvider provider = Provider(inner, static o =>
        {
            o.MaxRequests = 1;
            o.MaxPendingRequests = 0;
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://svc/a"));

        Action send = () => http.Send(request);

        send.Should().Throw<HttpRequestException>().WithMessage("refused");
        request.RequestUri.Should().Be(new Uri("http://svc/a"));
        inner.Failure = null;
        inner.Gate.SetResult();
        using HttpResponseMessage response = http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri("http://svc/b")));
        response.IsSuccessStatusCode.Should().BeTrue("the failed attempt gave its slot back");
    }

    [Fact]
    public async Task Send_SynchronousPoolFullAndNoQueue_RefusesWithARejection()
    {
        var inner = new GateHandler();
        await using ServiceProvider provider = Provider(inner, static o =>
        {
            o.MaxRequests = 1;
            o.MaxPendingRequests = 0;
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        Task<HttpResponseMessage> first = http.GetAsync(new Uri("http://svc/a"));
        await inner.Entered.Task;

        Action second = () => http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri("http://svc/b")));

        second.Should().Throw<EndpointPoolFullException>();
        inner.Gate.SetResult();
        (await first).IsSuccessStatusCode.Should().BeTrue();
        inner.Sent.Should().HaveCount(1, "the refused request never reached the endpoint");
        http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri("http://svc/c"))).IsSuccessStatusCode.Should().BeTrue("the refusal took no slot");
    }

    [Fact]
    public async Task Send_SynchronousPoolFullWithAQueue_WaitsForTheSlot()
    {
        var inner = new GateHandler();
        await using ServiceProvider provider = Provider(inner, static o => o.MaxRequests = 1);
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        Task<HttpResponseMessage> first = http.GetAsync(new Uri("http://svc/a"));
        await inner.Entered.Task;

        Task<HttpResponseMessage> second = Task.Run(() => http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri("http://svc/b"))));
        inner.Gate.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));

        inner.Sent.Should().Equal(new Uri("http://10.0.0.1:80/a"), new Uri("http://10.0.0.1:80/b"));
        inner.SentSynchronously.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_InnerThrowsSynchronously_PropagatesAndGivesTheSlotBack()
    {
        var inner = new GateHandler { Failure = new InvalidOperationException("boom"), ThrowSynchronously = true };
        await using ServiceProvider provider = Provider(inner, static o =>
        {
            o.MaxRequests = 1;
            o.MaxPendingRequests = 0;
        });
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("svc");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://svc/a"));

        Func<Task> send = () => http.SendAsync(request);

        await send.Should().ThrowAsync<InvalidOperationException>().WithMessage("boom");
        request.RequestUri.Should().Be(new Uri("http://svc/a"));
        inner.Failure = null;
        inner.Gate.SetResult();
        (await http.GetAsync(new Uri("http://svc/b"))).IsSuccessStatusCode.Should().BeTrue("the failed attempt gave its slot back");
    }

    [Fact]
    public async Task SendAsync_RelativeAddress_PassesThroughUnrouted()
    {
        var inner = new GateHandler();
        inner.Gate.SetResult();
        await using ServiceProvider provider = Provider(inner, static _ => { });
        using var invoker = new HttpMessageInvoker(provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("svc"), disposeHandler: false);
        var relative = new Uri("/a", UriKind.Relative);

        using HttpResponseMessage asynchronous = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, relative), CancellationToken.None);
        using HttpResponseMessage synchronous = invoker.Send(new HttpRequestMessage(HttpMethod.Get, relative), CancellationToken.None);

        asynchronous.IsSuccessStatusCode.Should().BeTrue();
        synchronous.IsSuccessStatusCode.Should().BeTrue();
        inner.Sent.Should().Equal(relative, relative);
    }
}
