using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Resilience.Identity.Tests.Authorization;

/// <summary>The policies in force across configuration reloads: a valid change swaps the snapshot, an invalid one keeps the last good.</summary>
public class WorkloadAuthorizationTests
{
    private const string DenyAdmin = "Authorization:Policies:deny-admin:";

    private static (ServiceProvider Services, IConfigurationRoot Configuration, CapturingLoggerProvider Logs) Build()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DenyAdmin + "Action"] = "DENY",
            [DenyAdmin + "Rules:0:To:0:Operation:Paths:0"] = "/admin*",
        }).Build();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddWorkloadAuthorization(configuration.GetSection("Authorization"));
        return (services.BuildServiceProvider(), configuration, logs);
    }

    [Fact]
    public void Snapshot_ValidReload_SwapsTheSnapshot()
    {
        (ServiceProvider services, IConfigurationRoot configuration, _) = Build();
        using (services)
        {
            WorkloadAuthorization authorization = services.GetRequiredService<WorkloadAuthorization>();
            AuthorizationSnapshot before = authorization.Snapshot;
            before.Decide(null, "GET", "/admin").Allowed.Should().BeFalse();

            configuration[DenyAdmin + "Rules:0:To:0:Operation:Paths:0"] = "/secret*";
            configuration.Reload();

            authorization.Snapshot.Should().NotBeSameAs(before);
            authorization.Snapshot.Decide(null, "GET", "/admin").Allowed.Should().BeTrue();
            authorization.Snapshot.Decide(null, "GET", "/secret/x").Allowed.Should().BeFalse();
        }
    }

    [Fact]
    public void Snapshot_InvalidReload_KeepsLastGoodAndLogsTheError()
    {
        (ServiceProvider services, IConfigurationRoot configuration, CapturingLoggerProvider logs) = Build();
        using (services)
        {
            WorkloadAuthorization authorization = services.GetRequiredService<WorkloadAuthorization>();
            AuthorizationSnapshot before = authorization.Snapshot;

            configuration[DenyAdmin + "Rules:0:To:0:Operation:Paths:0"] = "/adm*n";
            configuration.Invoking(c => c.Reload()).Should().Throw<AggregateException>("the options monitor still raises the failure to the reload's caller");

            authorization.Snapshot.Should().BeSameAs(before);
            authorization.Snapshot.Decide(null, "GET", "/admin").Allowed.Should().BeFalse();
            logs.Lines.Should().Contain(l => l.Level == LogLevel.Error
                && l.Message.Contains("Authorization:Policies:deny-admin:Rules:0:To:0:Operation:Paths:0 is '/adm*n'", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Constructor_InvalidFromTheStart_Throws()
    {
        var services = new ServiceCollection();
        services.AddWorkloadAuthorization(o => o.Policies["p"] = new AuthorizationPolicyOptions { Action = "NOPE" });
        using ServiceProvider provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<WorkloadAuthorization>()).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Equal("WorkloadAuthorizationOptions:Policies:p:Action is 'NOPE', but it must be ALLOW, DENY or AUDIT.");
    }
}
