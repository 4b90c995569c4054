using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Http;
using Resilience.Http.Tests.FaultInjection;
using Resilience.Http.Tests.Telemetry;

namespace Resilience.AspNetCore.Tests.FaultInjection;

public class FaultInjectionMiddlewareTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task UseFaultInjection_ZeroPercent_PassesThrough()
    {
        await using FaultServer server = await FaultServer.StartAsync(s => s.AddFaultInjection(_ => { }));

        string body = await server.Client.GetStringAsync(new Uri("/", UriKind.Relative));

        body.Should().Be(FaultServer.Body);
        server.EndpointCalls.Should().Be(1);
    }

    [Fact]
    public async Task UseFaultInjection_AbortStatusCode_AnswersStatusCodeWithoutReachingEndpoint()
    {
        await using FaultServer server = await FaultServer.StartAsync(s => s.AddFaultInjection(o => o.AbortPercentage = 100));

        using HttpResponseMessage response = await server.Client.GetAsync(new Uri("/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
        server.EndpointCalls.Should().Be(0);
    }

    [Fact]
    public async Task UseFaultInjection_DropConnection_ClientSeesHttpRequestException()
    {
        await using FaultServer server = await FaultServer.StartAsync(
            s => s.AddFaultInjection(o => (o.AbortPercentage, o.AbortKind) = (100, FaultAbortKind.DropConnection)));

        Func<Task> get = () => server.Client.GetAsync(new Uri("/", UriKind.Relative));

        await get.Should().ThrowAsync<HttpRequestException>();
        server.EndpointCalls.Should().Be(0);
    }

    [Fact]
    public async Task UseFaultInjection_Delay_RespondsOnlyAfterTimeAdvances()
    {
        var time = new TimerSignalingTimeProvider(Delay);
        await using FaultServer server = await FaultServer.StartAsync(s => s
            .AddSingleton<TimeProvider>(time)
            .AddFaultInjection(o => (o.DelayDuration, o.DelayPercentage) = (Delay, 100)));

        Task<string> get = server.Client.GetStringAsync(new Uri("/", UriKind.Relative));
        await time.TimerCreated;
        get.IsCompleted.Should().BeFalse();
        server.EndpointCalls.Should().Be(0);
        time.Advance(Delay);

        (await get).Should().Be(FaultServer.Body);
        server.EndpointCalls.Should().Be(1);
    }

    [Fact]
    public async Task UseFaultInjection_ClientGoneDuringDelay_EndsQuietlyWithoutReachingEndpoint()
    {
        var time = new TimerSignalingTimeProvider(Delay);
        await using FaultServer server = await FaultServer.StartAsync(s => s
            .AddSingleton<TimeProvider>(time)
            .AddFaultInjection(o => (o.DelayDuration, o.DelayPercentage) = (Delay, 100)));
        using var cts = new CancellationTokenSource();

        Task<HttpResponseMessage> get = server.Client.GetAsync(new Uri("/", UriKind.Relative), cts.Token);
        await time.TimerCreated;
        await cts.CancelAsync();

        await get.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        (await server.FirstRequestFinished).Should().BeNull();
        server.EndpointCalls.Should().Be(0);
    }

    [Fact]
    public async Task UseFaultInjection_ConfigurationReloaded_NextRequestUsesNewOptions()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Faults:AbortPercentage"] = "0" })
            .Build();
        await using FaultServer server = await FaultServer.StartAsync(s => s.AddFaultInjection(configuration.GetSection("Faults")));

        using HttpResponseMessage before = await server.Client.GetAsync(new Uri("/", UriKind.Relative));
        configuration["Faults:AbortPercentage"] = "100";
        configuration["Faults:AbortStatusCode"] = "500";
        configuration.Reload();
        using HttpResponseMessage after = await server.Client.GetAsync(new Uri("/", UriKind.Relative));

        before.StatusCode.Should().Be(HttpStatusCode.OK);
        after.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        server.EndpointCalls.Should().Be(1);
    }

    [Fact]
    public async Task UseFaultInjection_InvalidReload_LastGoodOptionsKeptAndRejectionLoggedAndCounted()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Faults:AbortPercentage"] = "0" })
            .Build();
        var logs = new CapturingLoggerProvider("Resilience.Configuration");
        await using FaultServer server = await FaultServer.StartAsync(s => s.AddLogging(b => b.AddProvider(logs)).AddFaultInjection(configuration.GetSection("Faults")));
        using var counters = new CounterRecorder(server.Services.GetRequiredService<IMeterFactory>());
        using HttpResponseMessage before = await server.Client.GetAsync(new Uri("/", UriKind.Relative));

        configuration["Faults:AbortPercentage"] = "150";
        configuration.Invoking(c => c.Reload()).Should().Throw<AggregateException>("the options monitor still raises the failure to the reload's caller");
        using HttpResponseMessage during = await server.Client.GetAsync(new Uri("/", UriKind.Relative));

        before.StatusCode.Should().Be(HttpStatusCode.OK);
        during.StatusCode.Should().Be(HttpStatusCode.OK);
        server.EndpointCalls.Should().Be(2);
        var error = logs.Entries.Should().ContainSingle().Subject;
        error.Level.Should().Be(LogLevel.Error);
        error.EventId.Id.Should().Be(2002);
        error.Message.Should().StartWith("Reloaded FaultInjectionOptions were rejected; the last valid options stay in force")
            .And.EndWith(Environment.NewLine + "  Faults:AbortPercentage is 150, but it must be between 0 and 100.");
        counters.Of("resilience.configuration.reload.rejections").Should().ContainSingle()
            .Which.Tags.Should().Equal(new Dictionary<string, object?> { ["resilience.options.type"] = nameof(FaultInjectionOptions) });

        configuration["Faults:AbortPercentage"] = "100";
        configuration.Reload();
        using HttpResponseMessage after = await server.Client.GetAsync(new Uri("/", UriKind.Relative));

        after.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        server.EndpointCalls.Should().Be(2);
    }

    [Fact]
    public async Task StartAsync_InvalidOptionInConfiguration_FailsNamingConfigurationKey()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Faults:DelayPercentage"] = "150" })
            .Build();

        Func<Task> start = () => FaultServer.StartAsync(s => s.AddFaultInjection(configuration.GetSection("Faults")));

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Message.Should().Be("Faults:DelayPercentage is 150, but it must be between 0 and 100.");
    }

    [Fact]
    public void UseFaultInjection_OptionsNotRegistered_ThrowsInvalidOperation()
    {
        using ServiceProvider services = new ServiceCollection().AddOptions().BuildServiceProvider();
        var app = new ApplicationBuilder(services);

        Action use = () => app.UseFaultInjection();

        use.Should().Throw<InvalidOperationException>().WithMessage("*services.AddFaultInjection*");
    }
}
