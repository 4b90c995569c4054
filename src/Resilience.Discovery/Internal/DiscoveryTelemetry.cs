using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Resilience.Discovery.Internal;

/// <summary>
/// The log lines and the metric of the etcd registry. Meter <c>Resilience.Discovery</c>, counter
/// <c>resilience.discovery.registry.errors</c> (tags <c>service</c> and <c>operation</c>: <c>watch</c> or
/// <c>keep_alive</c>), counted each time the registry could not be reached; while it cannot, clients keep serving the
/// last endpoints they saw.
/// </summary>
internal sealed partial class DiscoveryTelemetry : IDisposable
{
    public const string MeterName = "Resilience.Discovery";
    public const string WatchOperation = "watch";
    public const string KeepAliveOperation = "keep_alive";

    private readonly Meter _meter;
    private readonly Counter<long> _errors;

    public DiscoveryTelemetry(ILoggerFactory loggerFactory, IMeterFactory? meterFactory = null)
    {
        Logger = loggerFactory.CreateLogger("Resilience.Discovery");
        _meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _errors = _meter.CreateCounter<long>("resilience.discovery.registry.errors", "{error}", "Times the service registry could not be reached; the last known endpoints stay in use.");
    }

    public ILogger Logger { get; }

    public void RegistryUnavailable(string service, string operation, int endpointsKept, Exception error)
    {
        _errors.Add(1, new TagList { { "service", service }, { "operation", operation } });
        LogUnavailable(Logger, service, operation, endpointsKept, error.Message);
    }

    public void Dispose() => _meter.Dispose();

    [LoggerMessage(1, LogLevel.Warning, "The etcd registry is unreachable ({Operation} of service {Service}): {Reason}. Keeping the last {EndpointsKept} known endpoints.")]
    private static partial void LogUnavailable(ILogger logger, string service, string operation, int endpointsKept, string reason);

    [LoggerMessage(2, LogLevel.Information, "The etcd registry is reachable again ({Operation} of service {Service}); resumed from revision {Revision}.")]
    public static partial void LogRecovered(ILogger logger, string service, string operation, long revision);

    [LoggerMessage(3, LogLevel.Warning, "The etcd key {Key} does not hold an instance of the expected form and is ignored: {Reason}")]
    public static partial void LogInvalidInstance(ILogger logger, string key, string reason);

    [LoggerMessage(4, LogLevel.Information, "Registered instance {Key} at {Address} in etcd with a lease of {TtlSeconds} s.")]
    public static partial void LogRegistered(ILogger logger, string key, string address, long ttlSeconds);

    [LoggerMessage(5, LogLevel.Information, "Removed instance {Key} from etcd ({Reason}).")]
    public static partial void LogDeregistered(ILogger logger, string key, string reason);
}
