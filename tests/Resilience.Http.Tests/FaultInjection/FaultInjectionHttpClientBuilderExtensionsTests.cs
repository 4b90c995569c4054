using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Resilience.Http.Tests.Telemetry;

namespace Resilience.Http.Tests.FaultInjection;

public sealed class FaultInjectionHttpClientBuilderExtensionsTests : IDisposable
{
    private readonly CountingHandler _primary = new();
    private readonly ServiceCollection _services = new();

    public void Dispose() => _primary.Dispose();

    [Fact]
    public async Task AddFaultInjection_Action_FaultsOnlyThatClient()
    {
        AddClient("warehouse").AddFaultInjection(o => o.AbortPercentage = 100);
        AddClient("billing");
        using ServiceProvider provider = _services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using HttpResponseMessage warehouse = await factory.CreateClient("warehouse").GetAsync(new Uri("http://warehouse.test/"));
        using HttpResponseMessage billing = await factory.CreateClient("billing").GetAsync(new Uri("http://billing.test/"));

        warehouse.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        billing.StatusCode.Should().Be(HttpStatusCode.OK);
        _primary.Calls.Should().Be(1);
    }

    [Fact]
    public async Task AddFaultInjection_NoOptions_PassesThrough()
    {
        AddClient("warehouse").AddFaultInjection();
        using ServiceProvider provider = _services.BuildServiceProvider();

        using HttpResponseMessage response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("warehouse")
            .GetAsync(new Uri("http://warehouse.test/"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _primary.Calls.Should().Be(1);
    }

    [Fact]
    public void AddFaultInjection_Twice_AddsOneHandler()
    {
        AddClient("warehouse").AddFaultInjection(o => o.AbortPercentage = 10).AddFaultInjection(o => o.DelayPercentage = 10);
        using ServiceProvider provider = _services.BuildServiceProvider();

        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("warehouse");
        int faultHandlers = 0;
        while (handler is DelegatingHandler delegating)
        {
            faultHandlers += delegating is FaultInjectionHandler ? 1 : 0;
            handler = delegating.InnerHandler;
        }

        faultHandlers.Should().Be(1);
        FaultInjectionOptions options = provider.GetRequiredService<IOptionsMonitor<FaultInjectionOptions>>().Get("warehouse");
        options.AbortPercentage.Should().Be(10);
        options.DelayPercentage.Should().Be(10);
    }

    [Fact]
    public async Task AddFaultInjection_ConfigurationReloaded_NextRequestUsesNewOptions()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Faults:Warehouse:AbortPercentage"] = "0" })
            .Build();
        AddClient("warehouse").AddFaultInjection(configuration.GetSection("Faults:Warehouse"));
        using ServiceProvider provider = _services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("warehouse");

        using HttpResponseMessage before = await client.GetAsync(new Uri("http://warehouse.test/"));
        configuration["Faults:Warehouse:AbortPercentage"] = "100";
        configuration["Faults:Warehouse:AbortStatusCode"] = "429";
        configuration.Reload();
        using HttpResponseMessage after = await client.GetAsync(new Uri("http://warehouse.test/"));

        before.StatusCode.Should().Be(HttpStatusCode.OK);
        after.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        _primary.Calls.Should().Be(1);
    }

    [Theory]
    [InlineData("DelayPercentage", "150", "Faults:Warehouse:DelayPercentage is 150")]
    [InlineData("AbortPercentage", "abc", "'Faults:Warehouse:AbortPercentage'")]
    public async Task AddFaultInjection_InvalidReload_LastGoodOptionsKeptAndRejectionLoggedAndCounted(string option, string value, string failure)
    {
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Faults:Warehouse:AbortPercentage"] = "100", ["Faults:Warehouse:AbortStatusCode"] = "429" })
            .Build();
        using var harness = new TelemetryHarness(b => b.AddFaultInjection(configuration.GetSection("Faults:Warehouse")));
        using HttpClient client = harness.CreateClient();
        using HttpResponseMessage before = await client.GetAsync(new Uri("a", UriKind.Relative));
        using var counters = new CounterRecorder(harness.Services.GetRequiredService<IMeterFactory>());

        configuration[$"Faults:Warehouse:{option}"] = value;
        configuration.Invoking(c => c.Reload()).Should().Throw<AggregateException>("the options monitor still raises the failure to the reload's caller");
        using HttpResponseMessage during = await client.GetAsync(new Uri("b", UriKind.Relative));

        before.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        during.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        var error = harness.Logs.Entries.Should().ContainSingle(e => e.Level == LogLevel.Error).Subject;
        error.EventId.Id.Should().Be(2001);
        error.Message.Should().StartWith($"Reloaded FaultInjectionOptions '{harness.ClientName}' were rejected; the last valid options stay in force")
            .And.Contain(Environment.NewLine + "  ").And.Contain(failure);
        var rejected = counters.Of("resilience.configuration.reload.rejections").Should().ContainSingle().Subject;
        rejected.Value.Should().Be(1);
        rejected.Tags.Should().Equal(new Dictionary<string, object?>
        {
            ["resilience.options.type"] = nameof(FaultInjectionOptions),
            ["resilience.options.name"] = harness.ClientName,
        });

        configuration[$"Faults:Warehouse:{option}"] = "0";
        configuration["Faults:Warehouse:AbortStatusCode"] = "503";
        configuration.Reload();
        using HttpResponseMessage after = await client.GetAsync(new Uri("c", UriKind.Relative));

        after.StatusCode.Should().Be(option == "AbortPercentage" ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        harness.Logs.Entries.Where(e => e.Level == LogLevel.Error).Should().ContainSingle();
    }

    [Fact]
    public void AddFaultInjection_Section_BindsEveryOption()
    {
        IConfigurationSection section = Json("""
            { "Faults": { "Warehouse": {
                "DelayDuration": "00:00:02.5", "DelayPercentage": 12.5, "AbortPercentage": 7,
                "AbortStatusCode": 500, "AbortKind": "DropConnection", "Enabled": false } } }
            """).GetSection("Faults:Warehouse");
        AddClient("warehouse").AddFaultInjection(section);
        using ServiceProvider provider = _services.BuildServiceProvider();

        FaultInjectionOptions options = provider.GetRequiredService<IOptionsMonitor<FaultInjectionOptions>>().Get("warehouse");

        options.Should().BeEquivalentTo(new FaultInjectionOptions
        {
            DelayDuration = TimeSpan.FromSeconds(2.5),
            DelayPercentage = 12.5,
            AbortPercentage = 7,
            AbortStatusCode = 500,
            AbortKind = FaultAbortKind.DropConnection,
            Enabled = false,
        });
    }

    [Fact]
    public async Task AddFaultInjection_TimeProviderRegistered_DelaysWithIt()
    {
        var time = new FakeTimeProvider();
        _services.AddSingleton<TimeProvider>(time);
        AddClient("warehouse").AddFaultInjection(o => (o.DelayDuration, o.DelayPercentage) = (TimeSpan.FromSeconds(5), 100));
        using ServiceProvider provider = _services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("warehouse");

        Task<HttpResponseMessage> get = client.GetAsync(new Uri("http://warehouse.test/"));
        get.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(5));

        using HttpResponseMessage response = await get;
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void ValidateOnStart_InvalidOptionSetInCode_NamesOption()
    {
        AddClient("warehouse").AddFaultInjection(o => o.AbortPercentage = 150);
        using ServiceProvider provider = _services.BuildServiceProvider();

        Action validate = () => provider.GetRequiredService<IStartupValidator>().Validate();

        validate.Should().Throw<OptionsValidationException>()
            .Which.Message.Should().Be("FaultInjectionOptions.AbortPercentage is 150, but it must be between 0 and 100.");
    }

    [Fact]
    public void ValidateOnStart_InvalidOptionInConfiguration_NamesConfigurationKey()
    {
        IConfiguration configuration = Json("""{ "Faults": { "Warehouse": { "AbortPercentage": 150 } } }""");
        AddClient("warehouse").AddFaultInjection(configuration.GetSection("Faults:Warehouse"));
        using ServiceProvider provider = _services.BuildServiceProvider();

        Action validate = () => provider.GetRequiredService<IStartupValidator>().Validate();

        validate.Should().Throw<OptionsValidationException>()
            .Which.Message.Should().Be("Faults:Warehouse:AbortPercentage is 150, but it must be between 0 and 100.");
    }

    [Fact]
    public void ValidateOnStart_UnknownConfigurationKey_Throws()
    {
        IConfiguration configuration = Json("""{ "Faults": { "Warehouse": { "AbortPercentge": 5 } } }""");
        AddClient("warehouse").AddFaultInjection(configuration.GetSection("Faults:Warehouse"));
        using ServiceProvider provider = _services.BuildServiceProvider();

        Action validate = () => provider.GetRequiredService<IStartupValidator>().Validate();

        validate.Should().Throw<InvalidOperationException>().WithMessage("*AbortPercentge*");
    }

    [Fact]
    public void ValidateOnStart_ValidOptions_Passes()
    {
        AddClient("warehouse").AddFaultInjection(o => o.AbortPercentage = 100).AddFaultInjection(o => o.AbortStatusCode = 500);
        using ServiceProvider provider = _services.BuildServiceProvider();

        Action validate = () => provider.GetRequiredService<IStartupValidator>().Validate();

        validate.Should().NotThrow();
    }

    private IHttpClientBuilder AddClient(string name) =>
        _services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(() => _primary);

    private static IConfigurationRoot Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}
