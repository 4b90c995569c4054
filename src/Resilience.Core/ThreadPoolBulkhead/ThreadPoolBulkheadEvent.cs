using System.Globalization;

namespace Resilience;

/// <summary>Something that happened to a <see cref="ThreadPoolBulkhead"/>, delivered synchronously to <see cref="ThreadPoolBulkhead.Events"/> subscribers.</summary>
public readonly struct ThreadPoolBulkheadEvent
{
    /// <summary>Gets the kind of event.</summary>
    public ThreadPoolBulkheadEventType EventType { get; internal init; }

    /// <summary>Gets the name of the bulkhead.</summary>
    public string BulkheadName { get; internal init; }

    /// <summary>Gets when the event was created, from the bulkhead's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset CreationTime { get; internal init; }

    /// <summary>Returns a one-line description of the event.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        string what = EventType switch
        {
            ThreadPoolBulkheadEventType.CallPermitted => "permitted a call",
            ThreadPoolBulkheadEventType.CallRejected => "rejected a call",
            ThreadPoolBulkheadEventType.CallFinished => "finished a call",
            _ => "published " + EventType,
        };
        return string.Create(CultureInfo.InvariantCulture, $"{CreationTime:O}: Thread-pool bulkhead '{BulkheadName}' {what}");
    }
}
