using Microsoft.Extensions.DependencyInjection;
using Resilience.Http.Internal;

namespace Resilience.Http.Tests.Integration;

/// <summary>A DI container with one named client "it" pointing at a <see cref="ScriptedServer"/>.</summary>
internal sealed class IntegrationClient : IDisposable
{
    public const string Name = "it";

    private readonly ServiceProvider _services;

    private IntegrationClient(ServiceProvider services, HttpClient client)
    {
        _services = services;
        Http = client;
    }

    /// <summary>Gets the client built by <c>IHttpClientFactory</c>, with the handlers under test.</summary>
    public HttpClient Http { get; }

    /// <summary>Gets the singleton registry that owns the client's primitives.</summary>
    public HttpResilienceRegistry Registry => _services.GetRequiredService<HttpResilienceRegistry>();

    /// <summary>Gets the single breaker of the client's only circuit breaker handler.</summary>
    public CircuitBreaker Breaker => Registry.Slots
        .Select(s => s.Slot)
        .OfType<ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet>>()
        .Single().Current.Single!;

    /// <summary>Builds a client with <c>services.AddHttpClient("it")</c> and then <paramref name="configure"/>.</summary>
    public static IntegrationClient Create(ScriptedServer server, Action<IHttpClientBuilder> configure) =>
        CreateWith(server, services => services.AddHttpClient(Name), configure);

    /// <summary>Builds a client with <paramref name="add"/> (which registers the client "it") and then <paramref name="configure"/>.</summary>
    public static IntegrationClient CreateWith(ScriptedServer server, Func<IServiceCollection, IHttpClientBuilder> add, Action<IHttpClientBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        IHttpClientBuilder builder = add(services).ConfigureHttpClient(c => c.BaseAddress = server.BaseAddress);
        configure?.Invoke(builder);
        ServiceProvider provider = services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(Name);
        return new IntegrationClient(provider, client);
    }

    /// <summary>
    /// Sends quick requests through the client until one succeeds, so that its connection is open and its code
    /// compiled: a request under a 200 ms limit then reaches the server before the limit, even on a loaded machine.
    /// A warm-up that the limit cuts short (a cold start) is tried again.
    /// </summary>
    public async Task WarmUpAsync()
    {
        for (int i = 0; ; i++)
        {
            try
            {
                using HttpResponseMessage response = await Http.GetAsync("status/200/warm-up");
                response.EnsureSuccessStatusCode();
                return;
            }
            catch (TimeLimiterTimeoutException) when (i < 20)
            {
            }
        }
    }

    /// <summary>
    /// Waits, at most <paramref name="timeout"/> (generous: the machine may be loaded), until <paramref name="condition"/>
    /// holds, re-checking it each time <paramref name="nextChange"/> signals; no polling on the clock.
    /// </summary>
    public static async Task<bool> WaitUntilAsync(Func<Task> nextChange, Func<bool> condition, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task change = nextChange(); // taken before the check, so a change between the two is not missed
            if (condition())
            {
                return true;
            }

            try
            {
                await change.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                return condition();
            }
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        _services.Dispose();
    }
}
