using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Resilience.Http.Tests.Handlers;

/// <summary>
/// The per-request layers of a Refit interface's methods, driven here without Refit: the table registered as the
/// generated code registers it, and the two options Refit puts in each request set by hand.
/// </summary>
public sealed class MethodLayersHandlerTests
{
    private static readonly HttpRequestOptionsKey<Type> InterfaceKey = new("Refit.InterfaceType");
    private static readonly HttpRequestOptionsKey<string> MethodKey = new("Refit.MethodName");

    static MethodLayersHandlerTests()
    {
        HttpMethodLayers.Register(typeof(IOrdersApi), "ListAsync", "orders", "orders-list");
        HttpMethodLayers.Register(typeof(IOrdersApi), "CreateAsync", null, "orders-create");
    }

    /// <summary>Stands in for a Refit interface.</summary>
    public interface IOrdersApi;

    /// <summary>An interface with no table.</summary>
    public interface IUnknownApi;

    [Fact]
    public async Task SendAsync_MethodWithRetry_RetriesIt()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable);

        using HttpResponseMessage response = await host.Client().SendAsync(Request(typeof(IOrdersApi), "ListAsync"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(2, "ListAsync names the retry 'orders'");
    }

    [Fact]
    public void Send_Synchronous_GoesThroughTheMethodsRoute()
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable);

        using HttpResponseMessage response = host.Client().Send(Request(typeof(IOrdersApi), "ListAsync"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        host.Stub.Calls.Should().Be(2);
    }

    [Theory]
    [InlineData(typeof(IOrdersApi), "CreateAsync")]
    [InlineData(typeof(IOrdersApi), "DeleteAsync")]
    [InlineData(typeof(IUnknownApi), "ListAsync")]
    [InlineData(null, null)]
    public async Task SendAsync_NoRetryForTheRequest_SendsItOnce(Type? client, string? method)
    {
        using TestHost host = Host();
        host.Stub.Respond(HttpStatusCode.ServiceUnavailable);

        using HttpResponseMessage response = await host.Client().SendAsync(Request(client, method));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        host.Stub.Calls.Should().Be(1);
    }

    [Fact]
    public async Task SendAsync_OneMethodsBreakerOpen_AnotherMethodStillWorks()
    {
        using TestHost host = Host();
        var registry = host.Provider.GetRequiredService<CircuitBreakerRegistry>();
        await host.Client().SendAsync(Request(typeof(IOrdersApi), "CreateAsync"));
        registry.GetOrCreate("c/orders-create").TransitionToForcedOpenState();

        Func<Task> create = () => host.Client().SendAsync(Request(typeof(IOrdersApi), "CreateAsync"));

        await create.Should().ThrowAsync<CallNotPermittedException>();
        (await host.Client().SendAsync(Request(typeof(IOrdersApi), "ListAsync"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void AddMethodResilience_NoTableGenerated_Throws()
    {
        Action add = () => new ServiceCollection().AddHttpClient("x").AddMethodResilience<IUnknownApi>(Configuration());

        add.Should().Throw<InvalidOperationException>().WithMessage("No per-request table was generated for *IUnknownApi*");
    }

    [Fact]
    public void AddMethodResilience_BuilderOfEveryClient_Throws()
    {
        var services = new ServiceCollection();
        Action add = () => services.ConfigureHttpClientDefaults(b => b.AddMethodResilience<IOrdersApi>(Configuration()));

        add.Should().Throw<ArgumentException>().WithMessage("AddMethodResilience needs the builder of one client*");
    }

    [Fact]
    public void EnsureAdded_WithAndWithoutTheHandler()
    {
        using TestHost host = Host();
        using ServiceProvider empty = new ServiceCollection().BuildServiceProvider();

        HttpMethodLayers.EnsureAdded(typeof(IOrdersApi), host.Provider);
        Action missing = () => HttpMethodLayers.EnsureAdded(typeof(IOrdersApi), empty);

        missing.Should().Throw<InvalidOperationException>().WithMessage("*add .AddMethodResilience<IOrdersApi>(configuration)*");
    }

    private static TestHost Host() =>
        TestHost.Create(b => b.AddMethodResilience<IOrdersApi>(Configuration()), s => s.AddResilience());

    private static IConfigurationSection Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Resilience:Retry:Instances:orders:MaxAttempts"] = "2",
        ["Resilience:Retry:Instances:orders:WaitDuration"] = "00:00:00",
    }).Build().GetSection("Resilience");

    private static HttpRequestMessage Request(Type? client, string? method)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "orders");
        if (client is not null)
        {
            request.Options.Set(InterfaceKey, client);
        }

        if (method is not null)
        {
            request.Options.Set(MethodKey, method);
        }

        return request;
    }
}
