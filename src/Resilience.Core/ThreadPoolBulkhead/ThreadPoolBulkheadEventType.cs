namespace Resilience;

/// <summary>The kinds of <see cref="ThreadPoolBulkheadEvent"/>.</summary>
public enum ThreadPoolBulkheadEventType
{
    /// <summary>An accepted task started on a worker thread. Published on that thread.</summary>
    CallPermitted = 0,

    /// <summary>A task was refused because every thread and queue slot was taken. Published on the submitting thread.</summary>
    CallRejected = 1,

    /// <summary>A task that started has finished, successfully or not. Published on the worker thread, before the task's <see cref="Task"/> completes.</summary>
    CallFinished = 2,
}
