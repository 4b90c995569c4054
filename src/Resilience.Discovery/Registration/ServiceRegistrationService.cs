using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Resilience.Discovery.Internal;

/// <summary>
/// Self-registration of one service: once the server has started (its addresses are known) the instance writes its
/// key; on graceful stop it deletes the key before the server stops accepting requests (<see cref="StoppingAsync"/>
/// runs before any hosted service's <c>StopAsync</c>, the server's included). As a health check publisher it takes the
/// instance out while the checks report Unhealthy.
/// </summary>
internal sealed class ServiceRegistrationService(
    string service,
    ServiceRegistrationOptions options,
    IServiceProvider services,
    EtcdConnection connection,
    DiscoveryTelemetry telemetry,
    TimeProvider timeProvider) : IHostedLifecycleService, IHealthCheckPublisher, IAsyncDisposable
{
    private EtcdInstanceRegistration? _registration;

    /// <summary>Gets the registration once started.</summary>
    internal EtcdInstanceRegistration? Registration => Volatile.Read(ref _registration);

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        Uri address = options.Address ?? ServerAddress();
        var record = new EtcdInstanceRecord(address, options.Weight, options.Version, options.Zone, options.Identity);
        var registration = new EtcdInstanceRegistration(service, Guid.NewGuid().ToString("N"), record, connection, telemetry, timeProvider);
        Volatile.Write(ref _registration, registration);
        await registration.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (Registration is { } registration)
        {
            await registration.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken) =>
        options.HealthAware && Registration is { } registration
            ? registration.SetHealthyAsync(report.Status != HealthStatus.Unhealthy, cancellationToken)
            : Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => Registration?.DisposeAsync() ?? ValueTask.CompletedTask;

    private Uri ServerAddress()
    {
        IServer server = (IServer?)services.GetService(typeof(IServer))
            ?? throw new InvalidOperationException($"The instance of '{service}' has no {nameof(ServiceRegistrationOptions.Address)} and no server to take it from: set {nameof(ServiceRegistrationOptions)}.{nameof(ServiceRegistrationOptions.Address)}.");
        string first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"The server of '{service}' listens on no address: set {nameof(ServiceRegistrationOptions)}.{nameof(ServiceRegistrationOptions.Address)}.");
        foreach (string wildcard in (string[])["://+:", "://*:", "://0.0.0.0:", "://[::]:"])
        {
            first = first.Replace(wildcard, "://" + Environment.MachineName + ":", StringComparison.Ordinal);
        }

        return new Uri(first);
    }
}
