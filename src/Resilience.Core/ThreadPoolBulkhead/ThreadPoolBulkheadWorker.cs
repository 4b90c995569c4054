namespace Resilience;

/// <summary>One worker thread of a <see cref="ThreadPoolBulkhead"/>, and the signal it waits on while idle.</summary>
/// <remarks>
/// <see cref="Assigned"/>, <see cref="IsIdle"/> and <see cref="KeepAliveTimer"/> are written under the owner's lock.
/// A worker is woken exactly once per idle period, by whoever removed it from the idle list under that lock: with a
/// task in <see cref="Assigned"/> (a hand-off), or with none, which tells it to exit (keep-alive expiry, dispose).
/// The signal is a monitor on a private object, so nothing needs disposing.
/// </remarks>
internal sealed class ThreadPoolBulkheadWorker
{
    /// <summary>How many <see cref="SpinWait.SpinOnce(int)"/> rounds an idle worker spins before it blocks.</summary>
    private const int SpinIterations = 25;

    private readonly object _signal = new();
    private bool _woken;

    public ThreadPoolBulkheadWorker(ThreadPoolBulkhead owner, ThreadPoolBulkheadWorkItem firstItem, int number)
    {
        Owner = owner;
        Assigned = firstItem;
        Number = number;
    }

    public ThreadPoolBulkhead Owner { get; }

    /// <summary>Gets the number in the thread name <c>bulkhead-&lt;name&gt;-&lt;number&gt;</c>, counted from 1 per bulkhead.</summary>
    public int Number { get; }

    public ThreadPoolBulkheadWorkItem? Assigned { get; set; }

    public bool IsIdle { get; set; }

    public ITimer? KeepAliveTimer { get; set; }

    /// <summary>Takes the task handed to this worker, or <see langword="null"/> when it must exit.</summary>
    public ThreadPoolBulkheadWorkItem? TakeAssigned()
    {
        ThreadPoolBulkheadWorkItem? item = Assigned;
        Assigned = null;
        return item;
    }

    /// <summary>Blocks until <see cref="Wake"/> is called, then resets the signal.</summary>
    public void WaitForWake()
    {
        // Spin briefly first, as the .NET thread pool's workers do: a worker that blocks at once pays a kernel wake-up
        // (tens of microseconds on virtual machines) for each task that arrives just after it went idle.
        var spinner = default(SpinWait);
        for (int i = 0; i < SpinIterations && !Volatile.Read(ref _woken); i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        lock (_signal)
        {
            while (!_woken)
            {
                Monitor.Wait(_signal);
            }

            _woken = false;
        }
    }

    /// <summary>Wakes the worker; call after setting <see cref="Assigned"/> (or not, to make it exit) under the owner's lock.</summary>
    public void Wake()
    {
        lock (_signal)
        {
            _woken = true;
            Monitor.Pulse(_signal);
        }
    }
}
