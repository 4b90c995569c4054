using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Http.Tests.Handlers;

namespace Resilience.Http.Tests.DependencyInjection;

public class ResilientHttpClientServiceCollectionExtensionsTests
{
    private static readonly IConfigurationSection Section = new ConfigurationBuilder()
        .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("""
            { "Resilience": { "CircuitBreaker": { "Instances": { "inventory": { "InitialState": "ForcedOpen" } } } } }
            """)))
        .Build()
        .GetSection("Resilience");

    [Fact]
    public async Task AddResilientHttpClientTyped_Name_LayersNamedAfterItNotTheType()
    {
        var stub = new StubHandler();
        using ServiceProvider provider = Typed(s => s.AddResilientHttpClient<IInventoryClient, InventoryClient>("inventory"), stub);

        (await provider.GetRequiredService<IInventoryClient>().GetAsync()).Dispose();

        var breakers = provider.GetRequiredService<CircuitBreakerRegistry>();
        breakers.TryGet("inventory", out _).Should().BeTrue();
        breakers.TryGet(nameof(IInventoryClient), out _).Should().BeFalse();
        stub.Calls.Should().Be(1);
    }

    [Fact]
    public async Task AddResilientHttpClientTyped_NameAndConfiguration_BindsTheInstancesOfThatName()
    {
        var stub = new StubHandler();
        using ServiceProvider provider = Typed(s => s.AddResilientHttpClient<IInventoryClient, InventoryClient>("inventory", Section), stub);

        await provider.GetRequiredService<IInventoryClient>().Awaiting(c => c.GetAsync()).Should().ThrowAsync<CallNotPermittedException>();

        stub.Calls.Should().Be(0);
        provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("inventory").State.Should().Be(CircuitBreakerState.ForcedOpen);
    }

    [Fact]
    public async Task AddResilientHttpClientTyped_NameAndDelegate_ConfiguresTheNamedClient()
    {
        var stub = new StubHandler();
        using ServiceProvider provider = Typed(
            s => s.AddResilientHttpClient<IInventoryClient, InventoryClient>("inventory", o => o.CircuitBreaker!.InitialState = CircuitBreakerState.ForcedOpen),
            stub);

        await provider.GetRequiredService<IInventoryClient>().Awaiting(c => c.GetAsync()).Should().ThrowAsync<CallNotPermittedException>();

        stub.Calls.Should().Be(0);
        provider.GetRequiredService<CircuitBreakerRegistry>().TryGet("inventory", out _).Should().BeTrue();
    }

    [Fact]
    public async Task AddResilientHttpClientTyped_Defaults_LayersNamedAfterTheType()
    {
        var stub = new StubHandler();
        using ServiceProvider provider = Typed(s => s.AddResilientHttpClient<IInventoryClient, InventoryClient>(), stub);

        (await provider.GetRequiredService<IInventoryClient>().GetAsync()).Dispose();

        stub.Calls.Should().Be(1);
        provider.GetRequiredService<CircuitBreakerRegistry>().TryGet(nameof(IInventoryClient), out CircuitBreaker? breaker).Should().BeTrue();
        breaker!.GetMetrics().NumberOfSuccessfulCalls.Should().Be(1);
    }

    [Fact]
    public async Task AddResilientHttpClientTyped_Configuration_BindsTheInstancesNamedAfterTheType()
    {
        var stub = new StubHandler();
        IConfigurationSection section = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""
                { "Resilience": { "CircuitBreaker": { "Instances": { "{{nameof(IInventoryClient)}}": { "InitialState": "ForcedOpen" } } } } }
                """)))
            .Build()
            .GetSection("Resilience");
        using ServiceProvider provider = Typed(s => s.AddResilientHttpClient<IInventoryClient, InventoryClient>(section), stub);

        await provider.GetRequiredService<IInventoryClient>().Awaiting(c => c.GetAsync()).Should().ThrowAsync<CallNotPermittedException>();

        stub.Calls.Should().Be(0);
    }

    [Fact]
    public async Task AddResilientHttpClientTyped_Delegate_ConfiguresTheClientNamedAfterTheType()
    {
        var stub = new StubHandler();
        using ServiceProvider provider = Typed(
            s => s.AddResilientHttpClient<IInventoryClient, InventoryClient>(o => o.CircuitBreaker!.InitialState = CircuitBreakerState.ForcedOpen),
            stub);

        await provider.GetRequiredService<IInventoryClient>().Awaiting(c => c.GetAsync()).Should().ThrowAsync<CallNotPermittedException>();

        stub.Calls.Should().Be(0);
        provider.GetRequiredService<CircuitBreakerRegistry>().TryGet(nameof(IInventoryClient), out _).Should().BeTrue();
    }

    private static ServiceProvider Typed(Func<IServiceCollection, IHttpClientBuilder> register, StubHandler stub)
    {
        var services = new ServiceCollection();
        register(services)
            .ConfigureHttpClient(c => c.BaseAddress = new Uri("http://inventory.test/"))
            .ConfigurePrimaryHttpMessageHandler(() => stub);
        return services.BuildServiceProvider();
    }
}

/// <summary>A typed client, as an application writes one.</summary>
public interface IInventoryClient
{
    Task<HttpResponseMessage> GetAsync();
}

/// <summary>The implementation <c>IHttpClientFactory</c> hands the client's <see cref="HttpClient"/> to.</summary>
public sealed class InventoryClient(HttpClient http) : IInventoryClient
{
    public Task<HttpResponseMessage> GetAsync() => http.GetAsync(new Uri("items", UriKind.Relative));
}
