namespace Resilience;

/// <summary>One accepted task of a <see cref="ThreadPoolBulkhead"/>: the function to run, its outcome and its <see cref="Task"/>.</summary>
/// <remarks>
/// <para>The queue links (<see cref="Next"/>, <see cref="Previous"/>, <see cref="IsQueued"/>) are read and written
/// only under the owner's lock. They make the queue an intrusive doubly linked list, so a task whose token is
/// cancelled is unlinked in O(1) and enqueuing allocates nothing beyond the item.</para>
/// <para>The outcome is stored by <see cref="Invoke"/> or <see cref="MarkCanceled"/> and published by
/// <see cref="Complete"/> only after the bulkhead has given the task's capacity back.</para>
/// </remarks>
internal abstract class ThreadPoolBulkheadWorkItem
{
    private const int RegistrationNone = 0;
    private const int RegistrationStored = 1;
    private const int RegistrationReleased = 2;

    private CancellationTokenRegistration _registration;
    private int _registrationState;

    protected ThreadPoolBulkheadWorkItem(ThreadPoolBulkhead owner, ExecutionContext? context, CancellationToken cancellationToken)
    {
        Owner = owner;
        CancellationToken = cancellationToken;
        Context = context;
    }

    public ThreadPoolBulkhead Owner { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Gets the submitter's execution context, or <see langword="null"/> when it does not flow.</summary>
    public ExecutionContext? Context { get; }

    public ThreadPoolBulkheadWorkItem? Next { get; set; }

    public ThreadPoolBulkheadWorkItem? Previous { get; set; }

    public bool IsQueued { get; set; }

    /// <summary>Runs the function on the current thread and stores its outcome. Never throws.</summary>
    public abstract void Invoke();

    /// <summary>Stores a cancelled outcome: the task will not run.</summary>
    public abstract void MarkCanceled();

    /// <summary>Publishes the stored outcome to the task. Continuations run asynchronously, never on the caller.</summary>
    public abstract void Complete();

    /// <summary>
    /// Asks to be told when the token is cancelled while the item is queued. Called once, after the item was
    /// queued and the lock released (a token already cancelled runs the callback here, synchronously).
    /// </summary>
    public void WatchCancellation()
    {
        if (!CancellationToken.CanBeCanceled)
        {
            return;
        }

        CancellationTokenRegistration registration = CancellationToken.UnsafeRegister(
            static s => ((ThreadPoolBulkheadWorkItem)s!).Owner.CancelQueued((ThreadPoolBulkheadWorkItem)s),
            this);
        _registration = registration;

        // A worker may already have taken the item and released "nothing"; then this thread disposes it.
        if (Interlocked.Exchange(ref _registrationState, RegistrationStored) == RegistrationReleased)
        {
            registration.Dispose();
        }
    }

    /// <summary>
    /// Drops the cancellation registration once the item has left the queue, so that a long-lived token does not
    /// keep it alive. Must not be called under the owner's lock: disposing waits for a running callback, which takes it.
    /// </summary>
    public void ReleaseCancellation()
    {
        if (CancellationToken.CanBeCanceled && Interlocked.Exchange(ref _registrationState, RegistrationReleased) == RegistrationStored)
        {
            _registration.Dispose();
        }
    }
}

/// <summary>A task that calls a function with a state argument and completes a <see cref="Task{TResult}"/>.</summary>
internal sealed class ThreadPoolBulkheadWorkItem<TState, TResult> : ThreadPoolBulkheadWorkItem
{
    private readonly Func<TState, CancellationToken, TResult> _func;
    private readonly TState _state;
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult? _result;
    private Exception? _exception;
    private bool _canceled;

    public ThreadPoolBulkheadWorkItem(
        ThreadPoolBulkhead owner, Func<TState, CancellationToken, TResult> func, TState state, ExecutionContext? context, CancellationToken cancellationToken)
        : base(owner, context, cancellationToken)
    {
        _func = func;
        _state = state;
    }

    public Task<TResult> Task => _completion.Task;

    public override void Invoke()
    {
        try
        {
            _result = _func(_state, CancellationToken);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            _canceled = true;
        }
#pragma warning disable CA1031 // Every exception is the task's outcome; none may kill the worker thread.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _exception = ex;
        }
    }

    public override void MarkCanceled() => _canceled = true;

    public override void Complete()
    {
        if (_canceled)
        {
            _completion.TrySetCanceled(CancellationToken.IsCancellationRequested ? CancellationToken : default);
        }
        else if (_exception is not null)
        {
            _completion.TrySetException(_exception);
        }
        else
        {
            _completion.TrySetResult(_result!);
        }
    }
}
