using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Http.Handlers;
using Resilience.Http.Internal;
using Resilience.Http.Telemetry;
using Resilience.Http.Tests.Telemetry;
using static Resilience.Http.Tests.Configuration.ConfigurationTestHost;

namespace Resilience.Http.Tests.Configuration;

/// <summary>Registrations for every client, through <c>ConfigureHttpClientDefaults</c>, and how a client's own registration layers over them.</summary>
public class EveryClientRegistrationTests
{
    private const string Json = """
        {
          "Resilience": {
            "CircuitBreaker": {
              "Configs": { "default": { "SlidingWindowSize": 40 } },
              "Instances": { "inventory": { "FailureRateThreshold": 25 } }
            }
          }
        }
        """;

    [Fact]
    public void Delegate_AppliesToEveryClient()
    {
        using ServiceProvider provider = Services(s =>
        {
            s.ConfigureHttpClientDefaults(b => b.AddResilience(o => o.Retry = null));
            s.AddHttpClient("inventory");
            s.AddHttpClient("pricing");
        });

        Kinds(provider, "inventory").Should().Equal(ResilienceKinds.TimeLimiter, ResilienceKinds.CircuitBreaker, ResilienceKinds.TimeLimiter);
        Kinds(provider, "pricing").Should().Equal(ResilienceKinds.TimeLimiter, ResilienceKinds.CircuitBreaker, ResilienceKinds.TimeLimiter);
    }

    [Fact]
    public void ClientRegistration_OverridesSettingsOfTheDefaultsOneByOne()
    {
        using ServiceProvider provider = Services(s =>
        {
            s.ConfigureHttpClientDefaults(b => b.AddResilience(o => o.CircuitBreaker!.MinimumNumberOfCalls = 7));
            s.AddHttpClient("inventory").AddResilience(o => o.CircuitBreaker!.FailureRateThreshold = 30);
            s.AddHttpClient("pricing");
        });
        var monitor = provider.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>();

        monitor.Get("inventory").CircuitBreaker!.MinimumNumberOfCalls.Should().Be(7);
        monitor.Get("inventory").CircuitBreaker!.FailureRateThreshold.Should().Be(30);
        monitor.Get("pricing").CircuitBreaker!.MinimumNumberOfCalls.Should().Be(7);
        monitor.Get("pricing").CircuitBreaker!.FailureRateThreshold.Should().Be(new HttpCircuitBreakerOptions().FailureRateThreshold);
        Kinds(provider, "inventory").Should().HaveCount(4, "the defaults and the client's registration share one set of handlers");
        BreakerOptions(provider, "inventory").MinimumNumberOfCalls.Should().Be(7);
        BreakerOptions(provider, "inventory").FailureRateThreshold.Should().Be(30);
    }

    [Fact]
    public void Timeout_FollowsEachClientsTotalLimit()
    {
        using ServiceProvider provider = Services(s =>
        {
            s.ConfigureHttpClientDefaults(b => b.AddResilience());
            s.AddHttpClient("inventory").AddResilience(o => o.TotalTimeLimiter = null);
            s.AddHttpClient("pricing");
        });
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using HttpClient inventory = factory.CreateClient("inventory");
        using HttpClient pricing = factory.CreateClient("pricing");

        inventory.Timeout.Should().Be(TimeSpan.FromSeconds(100), "this client turned its total limit off, so HttpClient keeps its own");
        pricing.Timeout.Should().Be(Timeout.InfiniteTimeSpan);
        Kinds(provider, "inventory").Should().Equal(ResilienceKinds.Retry, ResilienceKinds.CircuitBreaker, ResilienceKinds.TimeLimiter);
    }

    [Fact]
    public void Configuration_EachClientBindsItsOwnInstance()
    {
        IConfigurationRoot root = ConfigurationTestHost.Json(Json);
        using ServiceProvider provider = Services(s =>
        {
            s.ConfigureHttpClientDefaults(b => b.AddResilience(root.GetSection("Resilience")));
            s.AddHttpClient("inventory");
            s.AddHttpClient("pricing");
        });

        BreakerOptions(provider, "inventory").FailureRateThreshold.Should().Be(25);
        BreakerOptions(provider, "inventory").SlidingWindowSize.Should().Be(40);
        BreakerOptions(provider, "pricing").FailureRateThreshold.Should().Be(new HttpCircuitBreakerOptions().FailureRateThreshold);
        BreakerOptions(provider, "pricing").SlidingWindowSize.Should().Be(40, "an instance without a section starts from Configs:default");
    }

    [Fact]
    public void Configuration_InvalidInstance_FailsWhenTheClientIsBuiltWithTheFullKey()
    {
        IConfigurationRoot root = ConfigurationTestHost.Json("""{ "Resilience": { "CircuitBreaker": { "Instances": { "inventory": { "FailureRateThreshold": 150 } } } } }""");
        using ServiceProvider provider = Services(s =>
        {
            s.ConfigureHttpClientDefaults(b => b.AddResilience(root.GetSection("Resilience")));
            s.AddHttpClient("inventory");
            s.AddHttpClient("pricing");
        });
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        factory.Invoking(f => f.CreateClient("inventory")).Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "Resilience:CircuitBreaker:Instances:inventory:FailureRateThreshold is 150, but it must be greater than 0 and at most 100 (percent).");
        factory.Invoking(f => f.CreateClient("pricing").Dispose()).Should().NotThrow();
    }

    [Fact]
    public void Delegate_InvalidForEveryClient_FailsAtStart()
    {
        using ServiceProvider provider = Services(s => s.ConfigureHttpClientDefaults(b => b.AddCircuitBreaker("x", o => o.MinimumNumberOfCalls = 0)));

        StartFailures(provider).Should().Equal("every HTTP client, instance 'x': CircuitBreakerOptions.MinimumNumberOfCalls is 0, but it must be at least 1.");
    }

    [Fact]
    public void Configuration_InvalidDefaultConfig_FailsAtStart()
    {
        IConfigurationRoot root = ConfigurationTestHost.Json("""{ "Resilience": { "Retry": { "Configs": { "default": { "MaxAttempts": 0 } } } } }""");
        using ServiceProvider provider = Services(s => s.ConfigureHttpClientDefaults(b => b.AddRetry("r", root.GetSection("Resilience"))));

        StartFailures(provider).Should().ContainSingle().Which.Should().StartWith("Resilience:Retry:Configs:default:MaxAttempts is 0");
    }

    [Fact]
    public void Configuration_Valid_StartSucceeds()
    {
        IConfigurationRoot root = ConfigurationTestHost.Json(Json);
        using ServiceProvider provider = Services(s => s.ConfigureHttpClientDefaults(b => b.AddResilience(root.GetSection("Resilience"))));

        provider.GetRequiredService<IStartupValidator>().Invoking(v => v.Validate()).Should().NotThrow();
    }

    [Fact]
    public void Configuration_StandardInvalidDefaultConfig_FailsAtStart()
    {
        IConfigurationRoot root = ConfigurationTestHost.Json("""{ "Resilience": { "CircuitBreaker": { "Configs": { "default": { "SlidingWindowSize": 0 } } } } }""");
        using ServiceProvider provider = Services(s => s.ConfigureHttpClientDefaults(b => b.AddResilience(root.GetSection("Resilience"))));

        StartFailures(provider).Should().ContainSingle().Which.Should().StartWith("Resilience:CircuitBreaker:Configs:default:SlidingWindowSize is 0");
    }

    [Fact]
    public void Primitive_ClientRegistrationLayersOverDefaults()
    {
        using ServiceProvider provider = Services(s =>
        {
            s.ConfigureHttpClientDefaults(b => b.AddCircuitBreaker("x", o => o.MinimumNumberOfCalls = 3));
            s.AddHttpClient("inventory").AddCircuitBreaker("x", o => o.FailureRateThreshold = 20);
            s.AddHttpClient("pricing");
        });

        Kinds(provider, "inventory").Should().Equal(ResilienceKinds.CircuitBreaker);
        BreakerOptions(provider, "inventory").MinimumNumberOfCalls.Should().Be(3);
        BreakerOptions(provider, "inventory").FailureRateThreshold.Should().Be(20);
        BreakerOptions(provider, "pricing").MinimumNumberOfCalls.Should().Be(3);
        BreakerOptions(provider, "pricing").FailureRateThreshold.Should().Be(new HttpCircuitBreakerOptions().FailureRateThreshold);
    }

    [Fact]
    public void Configuration_Reload_ReachesEachClient()
    {
        IConfigurationRoot root = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Resilience:CircuitBreaker:Instances:x:FailureRateThreshold"] = "50" })
            .Build();
        using ServiceProvider provider = Services(s =>
        {
            s.ConfigureHttpClientDefaults(b => b.AddCircuitBreaker("x", root.GetSection("Resilience")));
            s.AddHttpClient("inventory");
            s.AddHttpClient("pricing");
        });
        BreakerOptions(provider, "inventory").FailureRateThreshold.Should().Be(50);
        BreakerOptions(provider, "pricing").FailureRateThreshold.Should().Be(50);

        root["Resilience:CircuitBreaker:Instances:x:FailureRateThreshold"] = "70";
        root.Reload();

        BreakerOptions(provider, "inventory").FailureRateThreshold.Should().Be(70);
        BreakerOptions(provider, "pricing").FailureRateThreshold.Should().Be(70);
    }

    [Fact]
    public void Configuration_InvalidReload_EachClientKeepsLastGoodAndLogsItsRejection()
    {
        IConfigurationRoot root = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Resilience:CircuitBreaker:Instances:x:FailureRateThreshold"] = "50" })
            .Build();
        var logs = new CapturingLoggerProvider("Resilience.Configuration");
        using ServiceProvider provider = Services(s =>
        {
            s.AddLogging(b => b.AddProvider(logs));
            s.ConfigureHttpClientDefaults(b => b.AddCircuitBreaker("x", root.GetSection("Resilience")));
            s.AddHttpClient("inventory");
            s.AddHttpClient("pricing");
        });
        BreakerOptions(provider, "inventory").FailureRateThreshold.Should().Be(50);
        BreakerOptions(provider, "pricing").FailureRateThreshold.Should().Be(50);

        root["Resilience:CircuitBreaker:Instances:x:FailureRateThreshold"] = "150";
        root.Reload();

        BreakerOptions(provider, "inventory").FailureRateThreshold.Should().Be(50);
        BreakerOptions(provider, "pricing").FailureRateThreshold.Should().Be(50);
        logs.Entries.Select(e => (e.Level, e.Message[..e.Message.IndexOf(';', StringComparison.Ordinal)])).Should().BeEquivalentTo(new[]
        {
            (LogLevel.Error, "Reloaded HttpCircuitBreakerOptions 'inventory/x' were rejected"),
            (LogLevel.Error, "Reloaded HttpCircuitBreakerOptions 'pricing/x' were rejected"),
        });

        root["Resilience:CircuitBreaker:Instances:x:FailureRateThreshold"] = "70";
        root.Reload();

        BreakerOptions(provider, "inventory").FailureRateThreshold.Should().Be(70);
        BreakerOptions(provider, "pricing").FailureRateThreshold.Should().Be(70);
        logs.Entries.Should().HaveCount(2);
    }

    /// <summary>The kinds of the resilience handlers of a client, outermost first.</summary>
    private static List<string> Kinds(ServiceProvider provider, string client)
    {
        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(client);
        var kinds = new List<string>();
        while (handler is DelegatingHandler delegating)
        {
            if (delegating is ResilienceHandler resilience)
            {
                resilience.Source.ClientName.Should().Be(client);
                kinds.Add(resilience.Source.Kind);
            }

            handler = delegating.InnerHandler;
        }

        return kinds;
    }

    /// <summary>The options of the breaker the handlers of a client use.</summary>
    private static HttpCircuitBreakerOptions BreakerOptions(ServiceProvider provider, string client)
    {
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(client).Dispose();
        return provider.GetRequiredService<HttpResilienceRegistry>().Slots
            .Where(s => s.Source.ClientName == client && s.Source.Kind == ResilienceKinds.CircuitBreaker)
            .Select(s => s.Slot).OfType<ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet>>().Single().Current.Options;
    }
}
