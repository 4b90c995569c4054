using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Resilience.Http.Internal;

namespace Resilience.Http.Tests.Handlers;

/// <summary>
/// A service provider with one client "c" whose primary handler is a <see cref="StubHandler"/> and whose time is a
/// <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class TestHost : IDisposable
{
    public const string ClientName = "c";
    public static readonly Uri BaseAddress = new("http://a.test/");

    private TestHost(ServiceProvider provider, StubHandler stub, SignalingTimeProvider time)
    {
        Provider = provider;
        Stub = stub;
        Time = time;
    }

    public ServiceProvider Provider { get; }

    public StubHandler Stub { get; }

    public SignalingTimeProvider Time { get; }

    public HttpResilienceRegistry Registry => Provider.GetRequiredService<HttpResilienceRegistry>();

    /// <summary>Builds the host; <paramref name="configure"/> adds the handlers to the client builder.</summary>
    public static TestHost Create(Action<IHttpClientBuilder> configure, Action<IServiceCollection>? services = null)
    {
        var stub = new StubHandler();
        var time = new SignalingTimeProvider(stub.Changes);
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(time);
        services?.Invoke(collection);
        IHttpClientBuilder builder = collection.AddHttpClient(ClientName, c => c.BaseAddress = BaseAddress);
        configure(builder);
        builder.ConfigurePrimaryHttpMessageHandler(() => stub);
        return new TestHost(collection.BuildServiceProvider(), stub, time);
    }

    /// <summary>Creates the client "c".</summary>
    public HttpClient Client() => Provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    /// <summary>Gets the current value of the only slot of <paramref name="kind"/>.</summary>
    public TValue Slot<TOptions, TValue>(string kind)
        where TOptions : class
        where TValue : class =>
        ((ReloadableSlot<TOptions, TValue>)Registry.Slots.Single(s => s.Source.Kind == kind).Slot).Current;

    /// <summary>Waits for something another thread does (a call, a response, a timer), on the stub's signal; bounded to 10 s.</summary>
    public Task WaitUntilAsync(Func<bool> condition) => Stub.Changes.WaitUntilAsync(condition);

    public void Dispose() => Provider.Dispose();
}
