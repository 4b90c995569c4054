using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilience.Routing.Internal;

/// <summary>
/// The metrics and log lines of outlier ejection. Meter <c>Resilience.Routing</c>:
/// <list type="bullet">
/// <item><c>resilience.routing.ejections</c>: endpoints ejected (tags <c>service</c>, <c>endpoint</c>, <c>reason</c>:
/// <c>consecutive_5xx</c>, <c>consecutive_gateway_failure</c>, <c>success_rate</c> or <c>failure_percentage</c>);</item>
/// <item><c>resilience.routing.ejection_returns</c>: endpoints returned to service when their time was up (tags
/// <c>service</c>, <c>endpoint</c>);</item>
/// <item><c>resilience.routing.ejections.overflow</c>: ejections refused because <c>MaxEjectionPercent</c> of the
/// endpoints were already ejected (Envoy's <c>ejections_overflow</c>; same tags as ejections).</item>
/// </list>
/// </summary>
internal sealed partial class OutlierTelemetry : IDisposable
{
    public const string MeterName = "Resilience.Routing";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _ejections;
    private readonly Counter<long> _returns;
    private readonly Counter<long> _overflow;
    private readonly ILogger _logger;

    public OutlierTelemetry(ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Resilience.Routing.OutlierDetection");
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _ejections = _meter.CreateCounter<long>("resilience.routing.ejections", "{ejection}", "Endpoints ejected from load balancing by outlier detection, by reason.");
        _returns = _meter.CreateCounter<long>("resilience.routing.ejection_returns", "{return}", "Ejected endpoints returned to load balancing when their ejection time was up.");
        _overflow = _meter.CreateCounter<long>("resilience.routing.ejections.overflow", "{ejection}", "Ejections refused because the maximum share of ejected endpoints was reached.");
    }

    public static string ReasonName(EjectionReason reason) => reason switch
    {
        EjectionReason.Consecutive5xx => OutlierDetectionConstants.Consecutive5xxReason,
        EjectionReason.ConsecutiveGatewayFailure => OutlierDetectionConstants.ConsecutiveGatewayFailureReason,
        EjectionReason.SuccessRate => OutlierDetectionConstants.SuccessRateReason,
        _ => OutlierDetectionConstants.FailurePercentageReason,
    };

    public void Ejected(string service, string endpoint, EjectionReason reason, TimeSpan duration, int ejectionCount)
    {
        string name = ReasonName(reason);
        _ejections.Add(1, new TagList { { "service", service }, { "endpoint", endpoint }, { "reason", name } });
        LogEjected(_logger, endpoint, service, name, duration.TotalSeconds, ejectionCount);
    }

    public void NotEnforced(string service, string endpoint, EjectionReason reason) =>
        LogNotEnforced(_logger, endpoint, service, ReasonName(reason));

    public void Overflow(string service, string endpoint, EjectionReason reason, int ejected, int endpoints)
    {
        string name = ReasonName(reason);
        _overflow.Add(1, new TagList { { "service", service }, { "endpoint", endpoint }, { "reason", name } });
        LogOverflow(_logger, endpoint, service, name, ejected, endpoints);
    }

    public void Returned(string service, string endpoint)
    {
        _returns.Add(1, new TagList { { "service", service }, { "endpoint", endpoint } });
        LogReturned(_logger, endpoint, service);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    [LoggerMessage(101, LogLevel.Warning, "Endpoint {Endpoint} of service {Service} is ejected from load balancing for {Seconds} s ({Reason}; ejection {EjectionCount}).")]
    private static partial void LogEjected(ILogger logger, string endpoint, string service, string reason, double seconds, int ejectionCount);

    [LoggerMessage(102, LogLevel.Debug, "Endpoint {Endpoint} of service {Service} is an outlier ({Reason}) but stays in load balancing: the detector's enforcement percentage did not select it.")]
    private static partial void LogNotEnforced(ILogger logger, string endpoint, string service, string reason);

    [LoggerMessage(103, LogLevel.Warning, "Endpoint {Endpoint} of service {Service} is an outlier ({Reason}) but stays in load balancing: {Ejected} of {Endpoints} endpoints are already ejected, the most MaxEjectionPercent allows.")]
    private static partial void LogOverflow(ILogger logger, string endpoint, string service, string reason, int ejected, int endpoints);

    [LoggerMessage(104, LogLevel.Information, "Endpoint {Endpoint} of service {Service} returns to load balancing: its ejection time is up.")]
    private static partial void LogReturned(ILogger logger, string endpoint, string service);
}
