using System.Globalization;

namespace Resilience;

/// <summary>Something that happened to a <see cref="Bulkhead"/>, delivered synchronously to <see cref="Bulkhead.Events"/> subscribers.</summary>
public readonly struct BulkheadEvent
{
    /// <summary>Gets the kind of event.</summary>
    public BulkheadEventType EventType { get; internal init; }

    /// <summary>Gets the name of the bulkhead.</summary>
    public string BulkheadName { get; internal init; }

    /// <summary>Gets when the event was created, from the bulkhead's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset CreationTime { get; internal init; }

    /// <summary>Returns a one-line description of the event.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EventType switch
    {
        BulkheadEventType.CallPermitted => Format("permitted a call"),
        BulkheadEventType.CallRejected => Format("rejected a call"),
        BulkheadEventType.CallFinished => Format("has finished a call"),
        _ => Format("published " + EventType),
    };

    private string Format(string what) => string.Create(
        CultureInfo.InvariantCulture, $"{CreationTime:O}: Bulkhead '{BulkheadName}' {what}.");
}
