using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Resilience.Http.Tests.Configuration.ConfigurationTestHost;

namespace Resilience.Http.Tests.Configuration;

/// <summary>The one warning, at start, about configured instances that nothing reads (a misspelled client name leaves the client on defaults).</summary>
public class UnusedInstanceWarningTests
{
    private const string Misspelled = """
        { "Resilience": {
          "CircuitBreaker": { "Instances": { "inventroy": { "FailureRateThreshold": 20 } } },
          "Retry": { "Instances": { "inventory": { "MaxAttempts": 2 }, "billing": { "MaxAttempts": 5 } } } } }
        """;

    [Fact]
    public void Start_InstanceNoClientReads_OneWarningNamingEachWithNearestClientName()
    {
        var logs = new Logs();
        IConfigurationSection section = Json(Misspelled).GetSection("Resilience");
        using ServiceProvider provider = Services(s => s.AddLogging(b => b.AddProvider(logs)).AddResilientHttpClient("inventory", section));

        provider.GetRequiredService<IStartupValidator>().Validate();
        provider.GetRequiredService<IStartupValidator>().Validate();

        logs.Entries.Should().ContainSingle().Which.Should().Be(
            "Configured resilience instances that nothing reads: Resilience:CircuitBreaker:Instances:inventroy (did you mean `inventory`?); "
            + "Resilience:Retry:Instances:billing. An HTTP client reads the instances named after it ({client}, and {client}-total for its total time limit); "
            + "AddResilience creates each instance of its section in the registries, where code gets it by name.");
    }

    [Fact]
    public void Start_SectionAlsoBoundByAddResilience_WarnsOnlyAboutNearMisses()
    {
        var logs = new Logs();
        IConfigurationSection section = Json(Misspelled).GetSection("Resilience");
        using ServiceProvider provider = Services(s => s.AddLogging(b => b.AddProvider(logs)).AddResilience(section).AddResilientHttpClient("inventory", section));

        provider.GetRequiredService<IStartupValidator>().Validate();

        logs.Entries.Should().ContainSingle().Which.Should().StartWith(
            "Configured resilience instances that nothing reads: Resilience:CircuitBreaker:Instances:inventroy (did you mean `inventory`?). ");
    }

    [Fact]
    public void Start_EveryInstanceRead_NoWarning()
    {
        var logs = new Logs();
        IConfigurationSection section = Json("""
            { "Resilience": { "Retry": { "Instances": { "inventory": { "MaxAttempts": 2 } } }, "TimeLimiter": { "Instances": { "inventory-total": { "TimeoutDuration": "5s" } } } } }
            """).GetSection("Resilience");
        using ServiceProvider provider = Services(s => s.AddLogging(b => b.AddProvider(logs)).AddResilientHttpClient("inventory", section));

        provider.GetRequiredService<IStartupValidator>().Validate();

        logs.Entries.Should().BeEmpty();
    }

    private sealed class Logs : ILoggerProvider
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(Logs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => category == "Resilience.DependencyInjection";

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel) && logLevel == LogLevel.Warning)
                {
                    logs.Entries.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
