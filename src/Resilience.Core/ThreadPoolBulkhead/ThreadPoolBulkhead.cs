using System.Diagnostics;

namespace Resilience;

/// <summary>
/// A bulkhead that runs tasks on its own dedicated threads, with the sizing rules of Java's
/// <c>ThreadPoolExecutor</c>, as Resilience4j's <c>FixedThreadPoolBulkhead</c>: a bounded number of threads and a
/// bounded FIFO queue. Blocking work submitted here cannot starve the .NET thread pool.
/// </summary>
/// <remarks>
/// <para>
/// <b>Sizing.</b> A submitted task (1) starts a new thread while fewer than
/// <see cref="ThreadPoolBulkheadOptions.CoreThreadPoolSize"/> threads exist; else (2) is handed to an idle thread or
/// queued if the queue has room; else (3) starts a new thread while fewer than
/// <see cref="ThreadPoolBulkheadOptions.MaxThreadPoolSize"/> exist; else (4) is rejected: the submit method publishes
/// <see cref="ThreadPoolBulkheadEventType.CallRejected"/> and throws <see cref="BulkheadFullException"/>
/// synchronously. At most max + queue-capacity tasks are accepted at once. Threads are background threads named
/// <c>bulkhead-&lt;name&gt;-&lt;n&gt;</c>; threads above the core size exit after idling for
/// <see cref="ThreadPoolBulkheadOptions.KeepAliveDuration"/>, measured with the injected <see cref="TimeProvider"/>.
/// </para>
/// <para>
/// <b>Concurrency.</b> Submission, hand-off and completion take one short lock. This is deliberate: every accepted
/// task costs a thread hand-off (a wake-up of a blocked thread, microseconds), next to which the lock is noise, and
/// the lock makes the Java sizing rules exact and every metrics snapshot consistent. Helpers that need the lock end in
/// <c>Unsynchronized</c>. No user code, event handler or task continuation ever runs under it. At every release of
/// the lock these invariants hold (checked with <see cref="Debug.Assert(bool)"/>):
/// 0 ≤ active ≤ threads ≤ max; threads = active + idle; 0 ≤ queued ≤ capacity; accepted = active + queued; and idle
/// threads exist only while the queue is empty.
/// </para>
/// <para>
/// <b>Completion.</b> A task's capacity is given back, and <see cref="ThreadPoolBulkheadEventType.CallFinished"/>
/// published, <b>before</b> its <see cref="Task"/> completes; the worker is then already idle (or busy with the next
/// queued task), so a continuation that submits again is never rejected spuriously. Results are set with
/// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>: continuations never run on, or block, a worker.
/// </para>
/// <para>
/// <b>Cancellation.</b> A token already cancelled at submission yields a cancelled task and consumes nothing. A queued
/// task whose token is cancelled is removed from the queue at once (freeing its slot) and its task is cancelled; a
/// task whose token is cancelled between being accepted and starting is cancelled without running. A running task
/// receives the token; an <see cref="OperationCanceledException"/> it throws while the token is cancelled cancels
/// its task. Tasks cancelled before they start publish no events.
/// </para>
/// <para>
/// <b>Disposal.</b> <see cref="Dispose"/> stops accepting tasks (submits then throw
/// <see cref="ObjectDisposedException"/>), cancels the tasks still queued, lets running tasks finish, and waits up to
/// 5 seconds of wall-clock time for every worker thread to exit (not measured with the injected provider, so a fake
/// clock nobody advances cannot hang it). Called on one of this bulkhead's own threads it does not wait. Only the
/// first call does anything.
/// </para>
/// </remarks>
public sealed partial class ThreadPoolBulkhead : IAsyncResilienceLayer, IDisposable, IAsyncDisposable
{
    [ThreadStatic]
    private static ThreadPoolBulkhead? _currentOwner;

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _coreThreads;
    private readonly int _maxThreads;
    private readonly int _queueCapacity;
    private readonly TimeSpan _keepAlive;
    private readonly bool _flowExecutionContext;
    private readonly List<ThreadPoolBulkheadWorker> _idle = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ThreadPoolBulkheadWorkItem? _head;
    private ThreadPoolBulkheadWorkItem? _tail;
    private int _queued;
    private int _threads;
    private int _active;
    private int _accepted;
    private int _threadNumber;
    private int _liveThreads; // Operating-system threads whose loop has not returned yet; Interlocked.
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="ThreadPoolBulkhead"/> class. No thread starts until a task is submitted.</summary>
    /// <param name="name">The name of the bulkhead, used in thread names, events and exceptions.</param>
    /// <param name="options">The options, copied and validated now; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The source of time for keep-alive and events; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The name is empty, or an option is invalid; the message names the option, the value and the valid range.</exception>
    public ThreadPoolBulkhead(string name, ThreadPoolBulkheadOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new ThreadPoolBulkheadOptions();
        ThreadPoolBulkheadOptionsValidator.Validate(options);
        Name = name;
        Events = new ThreadPoolBulkheadEvents(name);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _coreThreads = options.CoreThreadPoolSize;
        _maxThreads = options.MaxThreadPoolSize;
        _queueCapacity = options.QueueCapacity;
        _keepAlive = options.KeepAliveDuration;
        _flowExecutionContext = options.FlowExecutionContext;
    }

    /// <summary>Gets the name of the bulkhead.</summary>
    public string Name { get; }

    /// <summary>Gets the events of the bulkhead.</summary>
    public ThreadPoolBulkheadEvents Events { get; }

    /// <summary>Returns a consistent snapshot of the threads and the queue.</summary>
    /// <returns>The counts at one moment.</returns>
    public ThreadPoolBulkheadMetrics GetMetrics()
    {
        lock (_lock)
        {
            return new ThreadPoolBulkheadMetrics
            {
                CoreThreadPoolSize = _coreThreads,
                MaximumThreadPoolSize = _maxThreads,
                ThreadPoolSize = _threads,
                ActiveThreadCount = _active,
                QueueDepth = _queued,
                QueueCapacity = _queueCapacity,
            };
        }
    }

    private void Publish(ThreadPoolBulkheadEventType type)
    {
        if (Events.IsSubscribed(type))
        {
            Events.Publish(new ThreadPoolBulkheadEvent { EventType = type, BulkheadName = Name, CreationTime = _timeProvider.GetUtcNow() });
        }
    }

    [Conditional("DEBUG")]
    private void AssertInvariantsUnsynchronized()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "the invariants are read under the lock");
        Debug.Assert(_active >= 0 && _active <= _threads && _threads <= _maxThreads, $"0 ≤ active ({_active}) ≤ threads ({_threads}) ≤ max ({_maxThreads})");
        Debug.Assert(_threads == _active + _idle.Count, $"threads ({_threads}) = active ({_active}) + idle ({_idle.Count})");
        Debug.Assert(_queued >= 0 && _queued <= _queueCapacity, $"0 ≤ queued ({_queued}) ≤ capacity ({_queueCapacity})");
        Debug.Assert(_accepted == _active + _queued, $"accepted ({_accepted}) = active ({_active}) + queued ({_queued})");
        Debug.Assert(_idle.Count == 0 || _queued == 0, "idle threads exist only while the queue is empty");
    }
}
