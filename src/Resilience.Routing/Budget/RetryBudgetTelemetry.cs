using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resilience.Routing.Internal;

/// <summary>
/// The telemetry of the retry budget. Meter <c>Resilience.Routing</c>, counter
/// <c>resilience.routing.retry_budget.exhausted</c> (tag <c>service</c>): retries the budget refused. A refusal also
/// logs a warning, and the current Activity gets the tag <c>resilience.retry.outcome</c> =
/// <c>retry_budget_exhausted</c> and an event of that name.
/// </summary>
internal sealed partial class RetryBudgetTelemetry : IDisposable
{
    public const string OutcomeTag = "resilience.retry.outcome";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _exhausted;
    private readonly ILogger _logger;

    public RetryBudgetTelemetry(ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Resilience.Routing.RetryBudget");
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(OutlierTelemetry.MeterName)) ?? new Meter(OutlierTelemetry.MeterName);
        _exhausted = _meter.CreateCounter<long>("resilience.routing.retry_budget.exhausted", "{retry}", "Retries the retry budget refused.");
    }

    public void Exhausted(string service, long retriesInFlight, long maxRetries)
    {
        _exhausted.Add(1, new TagList { { "service", service } });
        LogExhausted(_logger, service, retriesInFlight, maxRetries);
        Activity? activity = Activity.Current;
        if (activity is not null)
        {
            activity.SetTag(OutcomeTag, RetryBudgetConstants.ExhaustedOutcome);
            activity.AddEvent(new ActivityEvent(RetryBudgetConstants.ExhaustedOutcome, tags: new ActivityTagsCollection { ["service"] = service }));
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    [LoggerMessage(201, LogLevel.Warning, "A retry to service {Service} was refused: retry_budget_exhausted ({RetriesInFlight} retries in flight, {MaxRetries} allowed).")]
    private static partial void LogExhausted(ILogger logger, string service, long retriesInFlight, long maxRetries);
}
