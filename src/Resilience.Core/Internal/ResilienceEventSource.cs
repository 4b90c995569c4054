using System.Diagnostics.Tracing;

namespace Resilience.Internal;

/// <summary>Reports problems the library swallows on purpose so that they do not break calls, such as a throwing event handler.</summary>
[EventSource(Name = "Resilience")]
internal sealed class ResilienceEventSource : EventSource
{
    public static readonly ResilienceEventSource Log = new();

    [Event(1, Level = EventLevel.Warning, Message = "An event handler of '{0}' threw while handling {1}: {2}")]
    public void EventHandlerFailed(string instanceName, string eventType, string exception) =>
        WriteEvent(1, instanceName, eventType, exception);

    [Event(2, Level = EventLevel.Warning, Message = "The wait interval function of '{0}' threw for attempt {1}; the fixed wait was used: {2}")]
    public void WaitIntervalFunctionFailed(string instanceName, int attempt, string exception) =>
        WriteEvent(2, instanceName, attempt, exception);
}
