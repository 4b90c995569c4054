using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilience.Routing.Internal;

/// <summary>
/// The telemetry of hedging. Meter <c>Resilience.Routing</c>:
/// <list type="bullet">
/// <item><c>resilience.routing.hedging.attempts</c>: hedged attempts sent (tag <c>service</c>);</item>
/// <item><c>resilience.routing.hedging.wins</c>: hedged requests by the attempt whose response was returned (tags
/// <c>service</c>, <c>attempt</c>: 0 for the first attempt, 1 for the first hedge, ...), counted only when a hedge was sent.</item>
/// </list>
/// Each hedge and each hedge that won also logs a debug line.
/// </summary>
internal sealed partial class HedgingTelemetry : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _wins;
    private readonly ILogger _logger;

    public HedgingTelemetry(ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Resilience.Routing.Hedging");
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(OutlierTelemetry.MeterName)) ?? new Meter(OutlierTelemetry.MeterName);
        _attempts = _meter.CreateCounter<long>("resilience.routing.hedging.attempts", "{attempt}", "Hedged attempts sent while an earlier attempt of the request was pending or had failed.");
        _wins = _meter.CreateCounter<long>("resilience.routing.hedging.wins", "{request}", "Hedged requests, by the attempt whose response was returned (0 is the first attempt).");
    }

    public void Hedged(string service, int attempt, TimeSpan delay)
    {
        _attempts.Add(1, new TagList { { "service", service } });
        LogHedged(_logger, attempt, service, delay.TotalMilliseconds);
    }

    public void Won(string service, int attempt)
    {
        _wins.Add(1, new TagList { { "service", service }, { "attempt", attempt } });
        LogWon(_logger, attempt, service);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    [LoggerMessage(301, LogLevel.Debug, "Hedged attempt {Attempt} of a request to service {Service} is sent (delay {DelayMs} ms).")]
    private static partial void LogHedged(ILogger logger, int attempt, string service, double delayMs);

    [LoggerMessage(302, LogLevel.Debug, "Attempt {Attempt} of a hedged request to service {Service} answered first; the others are cancelled.")]
    private static partial void LogWon(ILogger logger, int attempt, string service);
}
