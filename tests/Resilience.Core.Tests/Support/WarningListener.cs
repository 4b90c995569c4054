using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Resilience.Tests.Support;

/// <summary>Collects the warnings of the library's event source, by the name of the instance they are about.</summary>
internal sealed class WarningListener : EventListener
{
    private readonly ConcurrentQueue<(string Name, string Event)> _events = new();

    public IEnumerable<string> For(string name) => _events.Where(e => e.Name == name).Select(e => e.Event);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Resilience")
        {
            EnableEvents(eventSource, EventLevel.Warning);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.Payload is [string name, ..])
        {
            _events.Enqueue((name, eventData.EventName ?? ""));
        }
    }
}
