using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Resilience.DependencyInjection;

/// <summary>Reports a reload whose options were rejected: an error log with every failure on its own line, and a count.</summary>
/// <remarks>
/// The counter is on the meter <see cref="MeterName"/>, the meter of Resilience.Http's instruments too: from the
/// container's <see cref="IMeterFactory"/> (the same meter object), or a meter of its own without one.
/// </remarks>
internal sealed partial class RejectedReloads : IDisposable
{
    /// <summary>The category of the log.</summary>
    public const string LoggerCategory = "Resilience.Configuration";

    /// <summary>The name of the meter.</summary>
    public const string MeterName = "Resilience";

    /// <summary>The name of the counter.</summary>
    public const string CounterName = "resilience.configuration.reload.rejections";

    /// <summary>The tag holding the options type's name.</summary>
    public const string TypeTag = "resilience.options.type";

    /// <summary>The tag holding the options name; absent for unnamed options.</summary>
    public const string NameTag = "resilience.options.name";

    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _rejections;

    public RejectedReloads(ILoggerFactory loggerFactory, IMeterFactory? meterFactory)
    {
        _logger = loggerFactory.CreateLogger(LoggerCategory);
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _rejections = _meter.CreateCounter<long>(CounterName, "{reload}", "Reloads whose options were rejected; the last valid options stay in force.");
    }

    public bool IsDisposed { get; private set; }

    /// <summary>Reports that reloading the options <paramref name="name"/> of <paramref name="optionsType"/> failed with <paramref name="exception"/>.</summary>
    public void Report(Type optionsType, string name, Exception exception)
    {
        // A validation failure says all there is to say; anything else (a value the binder cannot convert) keeps its exception.
        Exception? attached = exception is OptionsValidationException ? null : exception;
        if (_logger.IsEnabled(LogLevel.Error))
        {
            string failures = Lines(exception);
            if (name.Length == 0)
            {
                LogRejectedUnnamed(_logger, attached, optionsType.Name, failures);
            }
            else
            {
                LogRejected(_logger, attached, optionsType.Name, name, failures);
            }
        }

        if (_rejections.Enabled)
        {
            if (name.Length == 0)
            {
                _rejections.Add(1, new KeyValuePair<string, object?>(TypeTag, optionsType.Name));
            }
            else
            {
                _rejections.Add(1, new KeyValuePair<string, object?>(TypeTag, optionsType.Name), new KeyValuePair<string, object?>(NameTag, name));
            }
        }
    }

    public void Dispose()
    {
        IsDisposed = true;
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>Every failure on a line of its own, each line starting with a new line.</summary>
    internal static string Lines(Exception exception)
    {
        IEnumerable<string> failures = exception is OptionsValidationException validation ? validation.Failures : Messages(exception);
        return string.Concat(failures.Select(static f => Environment.NewLine + "  " + f));
    }

    private static IEnumerable<string> Messages(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception.Message;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Reloaded {OptionsType} '{OptionsName}' were rejected; the last valid options stay in force until the configuration is fixed:{Failures}")]
    private static partial void LogRejected(ILogger logger, Exception? exception, string optionsType, string optionsName, string failures);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Reloaded {OptionsType} were rejected; the last valid options stay in force until the configuration is fixed:{Failures}")]
    private static partial void LogRejectedUnnamed(ILogger logger, Exception? exception, string optionsType, string failures);
}
